package dev.wasmorch.shim.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wasmorch.shim.proto.types.Mount;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Options as containerd parses them, and real mounts through the JNI library (those need root). */
class RootfsTest {

    @TempDir
    Path tmp;

    @Test
    void optionsSplitIntoFlagsAndDataAsContainerdDoes() throws Exception {
        MountOptions overlay =
                MountOptions.parse(List.of("index=off", "workdir=/w", "upperdir=/u", "lowerdir=/l1:/l2"));
        assertThat(overlay.flags()).isZero();
        assertThat(overlay.data()).isEqualTo("index=off,workdir=/w,upperdir=/u,lowerdir=/l1:/l2");
        assertThat(overlay.remountReadOnly()).isFalse();

        MountOptions bind = MountOptions.parse(List.of("rbind", "ro", "nosuid", "rprivate"));
        assertThat(bind.flags())
                .isEqualTo(
                        MountOptions.MS_BIND | MountOptions.MS_REC | MountOptions.MS_RDONLY | MountOptions.MS_NOSUID);
        assertThat(bind.data()).isEqualTo("rprivate"); // not in containerd's table: data, ignored for binds
        assertThat(bind.remountReadOnly()).isTrue();

        // later words win: rw clears ro, defaults sets nothing
        MountOptions rw = MountOptions.parse(List.of("ro", "defaults", "rw", "size=1m"));
        assertThat(rw.flags()).isZero();
        assertThat(rw.data()).isEqualTo("size=1m");
    }

    @Test
    void loopDevicesAndOverlongOptionsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> MountOptions.parse(List.of("loop", "ro")))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("loop");
        String many = "lowerdir=" + "/var/lib/containerd/snapshots/123456/fs:".repeat(120);
        assertThatThrownBy(() -> MountOptions.parse(List.of(many)))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("more than the kernel's 4096")
                .hasMessageContaining("too many layers");
    }

    @Test
    void overlayBindAndTmpfsMountAndUnmountWithSystemCalls() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting needs root");
        Path lower = Files.createDirectories(tmp.resolve("lower"));
        Files.writeString(lower.resolve("spin.toml"), "name = \"x\"\n");
        Path upper = Files.createDirectories(tmp.resolve("upper"));
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path rootfs = tmp.resolve("bundle/rootfs");

        Rootfs.mount(
                List.of(mount(
                        "overlay", "overlay", List.of("workdir=" + work, "upperdir=" + upper, "lowerdir=" + lower))),
                rootfs);
        try {
            assertThat(MountInfo.isMounted(rootfs)).isTrue();
            assertThat(Files.readString(rootfs.resolve("spin.toml"))).isEqualTo("name = \"x\"\n");
            Files.writeString(rootfs.resolve("new"), "w");
            assertThat(upper.resolve("new")).exists(); // writes land in the upper dir, as in a container
        } finally {
            Rootfs.unmount(rootfs);
        }
        assertThat(MountInfo.isMounted(rootfs)).isFalse();

        Rootfs.mount(List.of(mount("bind", lower.toString(), List.of("rbind", "ro"))), rootfs);
        try {
            assertThat(MountInfo.options(rootfs)).startsWith("ro");
            assertThatThrownBy(() -> Files.writeString(rootfs.resolve("x"), "no"))
                    .isInstanceOf(FileSystemException.class)
                    .isNotInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("Read-only");
        } finally {
            Rootfs.unmount(rootfs);
        }

        Rootfs.mount(List.of(mount("tmpfs", "tmpfs", List.of("nosuid", "size=1m"))), rootfs);
        try {
            assertThat(MountInfo.options(rootfs)).contains("nosuid");
        } finally {
            Rootfs.unmount(rootfs);
        }
        assertThat(MountInfo.isMounted(rootfs)).isFalse();
    }

    @Test
    void aFailedMountNamesTheMountAndTheSystemErrorAndUndoesEarlierOnes() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting needs root");
        Path rootfs = tmp.resolve("b/rootfs");
        Mount good = mount("tmpfs", "tmpfs", List.of("size=1m"));
        Mount bad = mount("bind", tmp.resolve("missing").toString(), List.of("rbind"));
        assertThatThrownBy(() -> Rootfs.mount(List.of(good, bad), rootfs))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("rootfs mount bind " + tmp.resolve("missing") + " on " + rootfs + " failed")
                .hasMessageContaining("No such file or directory (errno 2)");
        assertThat(MountInfo.isMounted(rootfs)).isFalse();
        assertThatThrownBy(() -> Rootfs.unmount(rootfs))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("Invalid argument (errno 22)");
    }

    private static Mount mount(String type, String source, List<String> options) {
        return Mount.newBuilder()
                .setType(type)
                .setSource(source)
                .addAllOptions(options)
                .build();
    }
}
