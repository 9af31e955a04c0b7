package dev.wasmorch.shim.task;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The cgroups of tasks whose spec names one ({@code linux.cgroupsPath}): containerd's CRI sets it
 * from the pod's {@code cgroup_parent} ({@code <cgroup_parent>/<container id>} with cgroupfs), and
 * its ListPodSandboxStats loads the pod's cgroup from the kernel, failing for the whole node when
 * one pod has none. runc creates them for its containers; for a WASM task the shim does, with every
 * missing level (the pod's own cgroup too), and at Delete removes what it created once empty.
 *
 * <p>The cgroups hold no process or thread: a WASM app runs on threads of this daemon, which stays
 * in its own cgroup (a JVM's memory cannot be split between cgroups). Their kernel counters are
 * thus about zero; the app's use reaches the CRI through the task's Stats instead.
 */
public final class TaskCgroups {

    /** Where the cgroup file systems are mounted; containerd looks there as well. */
    static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");

    /** runc's systemd form {@code slice:prefix:name}: systemd creates those units, not a directory. */
    private static final Pattern SYSTEMD_FORM = Pattern.compile("[^/:]*:[^/:]*:[^/:]*");

    private final List<Path> hierarchies;
    /**
     * The directories this daemon created and has not removed yet, in every hierarchy. Creating and
     * removing hold the lock: a pod's cgroup removed with its last task must not vanish under the
     * next task that finds it there (about 0.5 ms per task for 9 v1 hierarchies here).
     */
    private final Set<Path> created = new HashSet<>();

    /** @param hierarchies the cgroup v2 root, or each v1 hierarchy's root */
    TaskCgroups(List<Path> hierarchies) {
        this.hierarchies = List.copyOf(hierarchies);
    }

    /**
     * This node's cgroup hierarchies, told apart as containerd does: {@code /sys/fs/cgroup} itself
     * a cgroup2 mount is the unified hierarchy (v2); otherwise every cgroup v1 mount, one per
     * hierarchy (a hybrid node's {@code unified} v2 mount is left out, as containerd's CRI reads v1
     * there).
     */
    public static TaskCgroups ofThisNode() throws IOException {
        return new TaskCgroups(hierarchies(Files.readAllLines(Path.of("/proc/self/mountinfo"))));
    }

    /** The hierarchies in a mountinfo table (proc(5): mount point field 5, type after the "-"). */
    static List<Path> hierarchies(List<String> mountinfo) {
        List<Path> v1 = new ArrayList<>();
        for (String line : mountinfo) {
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (dash < 0 || dash + 1 >= f.length || f.length < 5) {
                continue;
            }
            Path mountPoint = Path.of(f[4].replace("\\040", " "));
            String type = f[dash + 1];
            if (type.equals("cgroup2") && mountPoint.equals(CGROUP_ROOT)) {
                return List.of(CGROUP_ROOT);
            }
            if (type.equals("cgroup") && mountPoint.startsWith(CGROUP_ROOT)) {
                v1.add(mountPoint);
            }
        }
        return v1;
    }

    /**
     * The names of a cgroupfs {@code linux.cgroupsPath} below a hierarchy's root, relative or
     * absolute (both from the root, as runc reads them); empty for the systemd form, which is not a
     * directory path.
     *
     * @throws BundleException for a path that would leave the root: {@code ..}, {@code .}, empty
     *                         names, or none at all
     */
    static List<String> names(String cgroupsPath) throws BundleException {
        if (SYSTEMD_FORM.matcher(cgroupsPath).matches()) {
            return List.of();
        }
        String relative = cgroupsPath.startsWith("/") ? cgroupsPath.substring(1) : cgroupsPath;
        List<String> names = List.of(relative.split("/", -1));
        for (String name : names) {
            if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('\0') >= 0) {
                throw new BundleException("linux.cgroupsPath \"" + cgroupsPath + "\": \"" + name
                        + "\" is no cgroup name; the path must stay below the cgroup root (names separated "
                        + "by single slashes, no \".\" or \"..\")");
            }
        }
        return names;
    }

    /**
     * Creates the task's cgroup, with every missing level, in each hierarchy.
     *
     * @return the levels of the task's path this daemon made and has not removed, deepest first in
     *         each hierarchy: those made now and those another task of the pod made before (the
     *         pod's own cgroup), which {@link #remove} would take too; for {@link CgroupRecord}
     * @throws BundleException for a path outside the root ({@link #names}) or one through a
     *                         symbolic link
     * @throws IOException     when a directory cannot be made (the ones made so far are removed)
     */
    synchronized List<Path> create(String cgroupsPath) throws BundleException, IOException {
        List<String> names = names(cgroupsPath);
        List<Path> made = new ArrayList<>();
        try {
            for (Path root : hierarchies) {
                Path dir = root;
                for (String name : names) {
                    dir = dir.resolve(name);
                    if (Files.isSymbolicLink(dir)) {
                        throw new BundleException("linux.cgroupsPath \"" + cgroupsPath + "\": " + dir
                                + " is a symbolic link; the shim creates cgroups only in real directories");
                    }
                    try {
                        Files.createDirectory(dir);
                        made.add(dir);
                    } catch (FileAlreadyExistsException e) {
                        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                            throw new BundleException(
                                    "linux.cgroupsPath \"" + cgroupsPath + "\": " + dir + " is not a directory");
                        }
                    }
                }
            }
        } catch (BundleException | IOException e) {
            for (int i = made.size() - 1; i >= 0; i--) {
                Files.deleteIfExists(made.get(i));
            }
            throw e;
        }
        created.addAll(made);
        List<Path> ours = new ArrayList<>();
        for (Path root : hierarchies) {
            ours.addAll(made(root, names));
        }
        return ours;
    }

    /** The task's directory and the levels above it in one hierarchy that this daemon made, deepest first. */
    private List<Path> made(Path root, List<String> names) {
        Path dir = root;
        for (String name : names) {
            dir = dir.resolve(name);
        }
        List<Path> levels = new ArrayList<>();
        for (; !dir.equals(root) && created.contains(dir); dir = dir.getParent()) {
            levels.add(dir);
        }
        return levels;
    }

    /**
     * Removes the task's cgroup and the levels above it that this daemon created, in each
     * hierarchy, as far as they are empty: a pod's cgroup stays while another task's is in it, and
     * goes with the last one. Nothing else is touched.
     *
     * @return what could not be removed and why (empty: all of it)
     */
    synchronized List<String> remove(String cgroupsPath) {
        List<String> left = new ArrayList<>();
        List<String> names;
        try {
            names = names(cgroupsPath);
        } catch (BundleException e) {
            return left; // refused at create: nothing was made
        }
        for (Path root : hierarchies) {
            for (Path dir : made(root, names)) {
                try {
                    Files.delete(dir); // rmdir: fails while the cgroup has tasks or child cgroups
                    created.remove(dir);
                } catch (NoSuchFileException e) {
                    created.remove(dir);
                } catch (IOException e) {
                    if (!hasChildCgroup(dir)) {
                        left.add(dir + ": " + (e instanceof FileSystemException f ? f.getReason() : e.getMessage()));
                    }
                    // else another task's cgroup is below it: it goes with that one
                    break;
                }
            }
        }
        return left;
    }

    /** Whether a cgroup directory has a cgroup below it (its other entries are the kernel's files). */
    private static boolean hasChildCgroup(Path dir) {
        try (var entries = Files.list(dir)) {
            return entries.anyMatch(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            return false;
        }
    }
}
