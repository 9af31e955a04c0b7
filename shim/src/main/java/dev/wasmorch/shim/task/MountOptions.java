package dev.wasmorch.shim.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A containerd mount's option list as mount(2) takes it: the known words become flags, the rest
 * (overlay's lowerdir/upperdir/workdir, tmpfs' size, ...) the file system's data string. The
 * table is containerd's own (mount/mount_linux.go, parseMountOptions), so the shim mounts exactly
 * what runc's shim would.
 */
record MountOptions(long flags, String data) {

    static final long MS_RDONLY = 1;
    static final long MS_NOSUID = 2;
    static final long MS_NODEV = 4;
    static final long MS_NOEXEC = 8;
    static final long MS_SYNCHRONOUS = 16;
    static final long MS_REMOUNT = 32;
    static final long MS_MANDLOCK = 64;
    static final long MS_DIRSYNC = 128;
    static final long MS_NOATIME = 1024;
    static final long MS_NODIRATIME = 2048;
    static final long MS_BIND = 4096;
    static final long MS_REC = 16384;
    static final long MS_RELATIME = 1 << 21;
    static final long MS_STRICTATIME = 1 << 24;

    /** Largest data string the kernel takes (one page). */
    static final int MAX_DATA = 4096;

    private record Flag(boolean clear, long bits) {}

    private static final Map<String, Flag> FLAGS = Map.ofEntries(
            Map.entry("async", new Flag(true, MS_SYNCHRONOUS)),
            Map.entry("atime", new Flag(true, MS_NOATIME)),
            Map.entry("bind", new Flag(false, MS_BIND)),
            Map.entry("defaults", new Flag(false, 0)),
            Map.entry("dev", new Flag(true, MS_NODEV)),
            Map.entry("diratime", new Flag(true, MS_NODIRATIME)),
            Map.entry("dirsync", new Flag(false, MS_DIRSYNC)),
            Map.entry("exec", new Flag(true, MS_NOEXEC)),
            Map.entry("mand", new Flag(false, MS_MANDLOCK)),
            Map.entry("noatime", new Flag(false, MS_NOATIME)),
            Map.entry("nodev", new Flag(false, MS_NODEV)),
            Map.entry("nodiratime", new Flag(false, MS_NODIRATIME)),
            Map.entry("noexec", new Flag(false, MS_NOEXEC)),
            Map.entry("nomand", new Flag(true, MS_MANDLOCK)),
            Map.entry("norelatime", new Flag(true, MS_RELATIME)),
            Map.entry("nostrictatime", new Flag(true, MS_STRICTATIME)),
            Map.entry("nosuid", new Flag(false, MS_NOSUID)),
            Map.entry("rbind", new Flag(false, MS_BIND | MS_REC)),
            Map.entry("relatime", new Flag(false, MS_RELATIME)),
            Map.entry("remount", new Flag(false, MS_REMOUNT)),
            Map.entry("ro", new Flag(false, MS_RDONLY)),
            Map.entry("rw", new Flag(true, MS_RDONLY)),
            Map.entry("strictatime", new Flag(false, MS_STRICTATIME)),
            Map.entry("suid", new Flag(true, MS_NOSUID)),
            Map.entry("sync", new Flag(false, MS_SYNCHRONOUS)));

    /**
     * @throws BundleException for what the shim does not mount: loop devices, data beyond a page
     *                         (an overlay of very many layers)
     */
    static MountOptions parse(List<String> options) throws BundleException {
        long flags = 0;
        List<String> data = new ArrayList<>();
        for (String o : options) {
            Flag f = FLAGS.get(o);
            if (f != null && f.bits != 0) {
                flags = f.clear ? flags & ~f.bits : flags | f.bits;
            } else if (f == null) {
                if (o.equals("loop")) {
                    throw new BundleException(
                            "mount option loop (a loop device) is not supported by the wasmorch shim");
                }
                data.add(o);
            }
        }
        String joined = String.join(",", data);
        if (joined.length() > MAX_DATA) {
            throw new BundleException("mount options are " + joined.length() + " bytes, more than the kernel's "
                    + MAX_DATA + " (an overlay of too many layers)");
        }
        return new MountOptions(flags, joined);
    }

    /**
     * A read-only bind mount: Linux ignores MS_RDONLY on the bind itself, so it takes a second,
     * remounting call (as containerd does).
     */
    boolean remountReadOnly() {
        return (flags & (MS_BIND | MS_RDONLY)) == (MS_BIND | MS_RDONLY);
    }
}
