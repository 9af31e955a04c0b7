package dev.wasmorch.shim.task;

/**
 * mount(2) and umount2(2) through the shim's JNI library ({@code src/main/c/mount_jni.c}), whose
 * path is the system property {@value #PROPERTY} (the launcher sets it to the library beside
 * itself). A system call instead of running mount(8): no fork of the daemon JVM and no mount(8)
 * start-up on every container's start path.
 */
final class MountSyscalls {

    static final String PROPERTY = "wasmorch.shim.native";

    /** Why the library could not be loaded, or {@code null} once it is. */
    private static final String UNAVAILABLE = load();

    private MountSyscalls() {}

    private static String load() {
        String path = System.getProperty(PROPERTY, "");
        if (path.isEmpty()) {
            return "system property " + PROPERTY + " is not set (the launcher containerd-shim-wasmorch-v1 sets it "
                    + "to libwasmorch-shim.so beside itself)";
        }
        try {
            System.load(path);
            return null;
        } catch (UnsatisfiedLinkError e) {
            return "cannot load " + path + ": " + e.getMessage();
        }
    }

    /** @return 0, or the errno mount(2) failed with */
    static int mount(String source, String target, String type, long flags, String data) throws BundleException {
        requireLoaded();
        return mount0(source, target, type, flags, data);
    }

    /** @return 0, or the errno umount2(2) failed with */
    static int unmount(String target) throws BundleException {
        requireLoaded();
        return umount0(target);
    }

    static String describe(int errno) {
        return UNAVAILABLE == null ? strerror0(errno) + " (errno " + errno + ")" : "errno " + errno;
    }

    /** Loads the library (once); also what {@link NetworkNamespace}'s native method needs. */
    static void requireLoaded() throws BundleException {
        if (UNAVAILABLE != null) {
            throw new BundleException("the shim's mount library is not available: " + UNAVAILABLE);
        }
    }

    private static native int mount0(String source, String target, String type, long flags, String data);

    private static native int umount0(String target);

    private static native String strerror0(int errno);
}
