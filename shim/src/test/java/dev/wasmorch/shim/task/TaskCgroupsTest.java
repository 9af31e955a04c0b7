package dev.wasmorch.shim.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Task cgroups in hierarchies played by temp directories, and the hierarchies read from mountinfo. */
class TaskCgroupsTest {

    @TempDir
    Path tmp;

    @Test
    void aPodsCgroupIsMadeWithItsFirstTaskAndGoesWithItsLast() throws Exception {
        Path cpu = Files.createDirectories(tmp.resolve("cpu"));
        Path memory = Files.createDirectories(tmp.resolve("memory"));
        // the kubelet's part of the tree exists already; the pod's own cgroup does not
        Files.createDirectories(cpu.resolve("kubepods/besteffort"));
        TaskCgroups cgroups = new TaskCgroups(List.of(cpu, memory));

        cgroups.create("/kubepods/besteffort/pod1/sandbox");
        cgroups.create("/kubepods/besteffort/pod1/app");
        for (Path root : List.of(cpu, memory)) {
            assertThat(root.resolve("kubepods/besteffort/pod1/sandbox")).isDirectory();
            assertThat(root.resolve("kubepods/besteffort/pod1/app")).isDirectory();
        }

        // the sandbox's Delete while the app's cgroup is still there: the pod's cgroup stays
        assertThat(cgroups.remove("/kubepods/besteffort/pod1/sandbox")).isEmpty();
        assertThat(cpu.resolve("kubepods/besteffort/pod1/sandbox")).doesNotExist();
        assertThat(cpu.resolve("kubepods/besteffort/pod1")).isDirectory();
        // the last one takes what the shim made with it, and nothing the shim found there
        assertThat(cgroups.remove("/kubepods/besteffort/pod1/app")).isEmpty();
        assertThat(cpu.resolve("kubepods/besteffort/pod1")).doesNotExist();
        assertThat(cpu.resolve("kubepods/besteffort")).isDirectory();
        assertThat(memory.resolve("kubepods")).doesNotExist();
    }

    @Test
    void aCgroupThatIsNotEmptyStaysAndIsReported() throws Exception {
        Path cpu = Files.createDirectories(tmp.resolve("cpu"));
        TaskCgroups cgroups = new TaskCgroups(List.of(cpu));
        cgroups.create("pod2/app");
        // a plain directory stands for a cgroup rmdir refuses (one with a process in it)
        Files.writeString(cpu.resolve("pod2/app/tasks"), "4242\n");
        assertThat(cgroups.remove("pod2/app")).singleElement().asString().startsWith(cpu.resolve("pod2/app") + ": ");
        assertThat(cpu.resolve("pod2/app")).isDirectory();
    }

    @Test
    void pathsOutsideTheRootAndLinksAreRefusedNamingTheField() throws Exception {
        Path cpu = Files.createDirectories(tmp.resolve("cpu"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createSymbolicLink(cpu.resolve("link"), outside);
        TaskCgroups cgroups = new TaskCgroups(List.of(cpu));
        for (String bad : List.of("/../outside/x", "pod/../../outside", "pod//app", "/", "pod/./app", "")) {
            assertThatThrownBy(() -> cgroups.create(bad))
                    .as(bad)
                    .isInstanceOf(BundleException.class)
                    .hasMessageStartingWith("linux.cgroupsPath \"" + bad + "\": ");
        }
        assertThatThrownBy(() -> cgroups.create("/link/app"))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining(
                        "linux.cgroupsPath \"/link/app\": " + cpu.resolve("link") + " is a symbolic link");
        assertThat(outside).isEmptyDirectory();
        assertThat(cpu).isDirectoryContaining(p -> p.getFileName().toString().equals("link"));
        try (var entries = Files.list(cpu)) {
            assertThat(entries).hasSize(1);
        }
    }

    @Test
    void theSystemdFormIsNoDirectoryAndMakesNothing() throws Exception {
        Path cpu = Files.createDirectories(tmp.resolve("cpu"));
        TaskCgroups cgroups = new TaskCgroups(List.of(cpu));
        cgroups.create("kubepods-besteffort-pod1.slice:cri-containerd:abc");
        assertThat(cpu).isEmptyDirectory();
    }

    @Test
    void hierarchiesAreTheV2RootOrEveryV1Mount() {
        String v1cpu = "31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu";
        String v1mem = "34 30 0:31 / /sys/fs/cgroup/memory rw,relatime shared:9 - cgroup cgroup rw,memory";
        String hybrid = "40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw";
        String tmpfs = "30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755";
        assertThat(TaskCgroups.hierarchies(List.of(tmpfs, v1cpu, v1mem, hybrid)))
                .containsExactly(Path.of("/sys/fs/cgroup/cpu"), Path.of("/sys/fs/cgroup/memory"));
        assertThat(TaskCgroups.hierarchies(
                        List.of("29 22 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate")))
                .containsExactly(Path.of("/sys/fs/cgroup"));
        // a cgroup mounted elsewhere (a container's view) is not the node's
        assertThat(TaskCgroups.hierarchies(List.of("50 22 0:40 / /mnt/cg rw - cgroup cgroup rw,pids")))
                .isEmpty();
    }
}
