package dev.wasmorch.shim.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random {@code linux.cgroupsPath} values, mixing names with {@code .}, {@code ..} and empty
 * ones, absolute or relative: a path is refused, naming the field, exactly when it holds one of
 * those; an accepted one is created strictly below the root, and nothing is created outside it.
 * And random creates and deletes of tasks in a few pods, then a crash of the daemon: the tasks
 * still alive, cleaned up in any order from the levels create listed for them (the record the
 * launcher's delete reads), leave exactly what was there before.
 */
class TaskCgroupsPropertyTest {

    @Provide
    Arbitrary<String> cgroupsPaths() {
        Arbitrary<String> name = Arbitraries.oneOf(
                Arbitraries.strings().withChars("abc-_.01").ofMinLength(1).ofMaxLength(4),
                Arbitraries.of("..", ".", ""));
        return Arbitraries.of("", "/")
                .flatMap(lead -> name.list().ofMinSize(1).ofMaxSize(5).map(names -> lead + String.join("/", names)));
    }

    @Property(tries = 300)
    void refusedExactlyWhenANameLeavesOrIsEmptyAndAcceptedOnesStayBelowTheRoot(@ForAll("cgroupsPaths") String path)
            throws Exception {
        String relative = path.startsWith("/") ? path.substring(1) : path;
        boolean escapes =
                Stream.of(relative.split("/", -1)).anyMatch(n -> n.isEmpty() || n.equals(".") || n.equals(".."));
        Path tmp = Files.createTempDirectory("cgroups-prop");
        try {
            Path root = Files.createDirectory(tmp.resolve("root"));
            TaskCgroups cgroups = new TaskCgroups(List.of(root));
            if (escapes) {
                assertThatThrownBy(() -> cgroups.create(path))
                        .isInstanceOf(BundleException.class)
                        .hasMessageStartingWith("linux.cgroupsPath \"" + path + "\": ");
                assertThat(root).isEmptyDirectory();
            } else {
                List<String> names = TaskCgroups.names(path);
                assertThat(String.join("/", names)).isEqualTo(relative);
                cgroups.create(path);
                Path leaf = root.resolve(relative);
                assertThat(leaf.normalize()).startsWith(root).isNotEqualTo(root);
                assertThat(leaf).isDirectory();
                assertThat(cgroups.remove(path)).isEmpty();
                assertThat(root).isEmptyDirectory();
            }
            try (var top = Files.list(tmp)) {
                assertThat(top).as("nothing beside the root").containsExactly(root);
            }
        } finally {
            deleteTree(tmp);
        }
    }

    @Property(tries = 200)
    void theLevelsRecordedForTheTasksLeftAtACrashRemoveAllTheDaemonMadeInAnyOrder(
            @ForAll("operations") List<Integer> ops, @ForAll boolean kubepodsThere, @ForAll Random order)
            throws Exception {
        Path tmp = Files.createTempDirectory("cgroups-crash");
        try {
            Path cpu = Files.createDirectory(tmp.resolve("cpu"));
            Path memory = Files.createDirectory(tmp.resolve("memory"));
            if (kubepodsThere) {
                Files.createDirectories(cpu.resolve("kubepods/besteffort"));
            }
            List<Path> before = tree(tmp);
            TaskCgroups cgroups = new TaskCgroups(List.of(cpu, memory));
            Map<String, List<Path>> alive = new LinkedHashMap<>(); // task's cgroupsPath -> its record
            int next = 0;
            for (int op : ops) {
                if (op < 3) { // a task in pod op
                    String path = "/kubepods/besteffort/pod" + op + "/task" + next++;
                    alive.put(path, cgroups.create(path));
                } else if (!alive.isEmpty()) { // the daemon's Delete of a live task
                    String path = new ArrayList<>(alive.keySet()).get(op % alive.size());
                    assertThat(cgroups.remove(path)).isEmpty();
                    alive.remove(path);
                }
            }
            List<List<Path>> records = new ArrayList<>(alive.values());
            Collections.shuffle(records, order);
            for (List<Path> record : records) {
                launcherDelete(record);
            }
            assertThat(tree(tmp)).isEqualTo(before);
        } finally {
            deleteTree(tmp);
        }
    }

    @Provide
    Arbitrary<List<Integer>> operations() {
        return Arbitraries.integers().between(0, 5).list().ofMaxSize(12);
    }

    /**
     * What launcher.c's delete does with a record: rmdir deepest first; a directory that is not
     * empty keeps its ancestors on later lines.
     */
    private static void launcherDelete(List<Path> record) throws IOException {
        Path stopped = null;
        for (Path dir : record) {
            if (stopped != null && stopped.startsWith(dir)) {
                continue;
            }
            try {
                Files.delete(dir);
            } catch (NoSuchFileException e) {
                // gone already
            } catch (DirectoryNotEmptyException e) {
                stopped = dir;
            }
        }
    }

    private static List<Path> tree(Path dir) throws IOException {
        try (var all = Files.walk(dir)) {
            return all.sorted().toList();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
