package dev.wasmorch.shim.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The package as a node installs it (target/bin and target/lib, no class path override): the daemon
 * JVM maps the class-data sharing archive bin/build-cds made at package time, also from a copy of
 * the package elsewhere, as shim/README.md's install copies it. Runs after the package phase.
 */
class PackagedDaemonIT {

    private static final Path TARGET = Path.of("target").toAbsolutePath();

    @TempDir
    Path tmp;

    @Test
    void theDaemonMapsTheArchiveBuiltAtPackageTime() throws Exception {
        assertThat(TARGET.resolve("lib/wasmorch-shim.jsa"))
                .as("built by bin/build-cds in the package phase")
                .exists();
        assertMapsItsArchive(TARGET, "/run/ctd-cds-target.sock");
    }

    @Test
    void aCopyOfThePackageElsewhereMapsItsArchiveToo() throws Exception {
        Path root = tmp.resolve("opt/wasmorch-shim");
        for (String part : List.of("bin", "lib")) {
            Path to = Files.createDirectories(root.resolve(part));
            try (Stream<Path> files = Files.list(TARGET.resolve(part))) {
                for (Path f : files.toList()) {
                    // cp -p: the archive is valid for jars of the same size and modification time
                    Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        assertMapsItsArchive(root, "/run/ctd-cds-copy.sock");
    }

    private void assertMapsItsArchive(Path root, String address) throws Exception {
        Path out = Files.createTempFile(tmp, "daemon", ".out");
        ProcessBuilder pb = new ProcessBuilder(
                        root.resolve("bin/containerd-shim-wasmorch-v1").toString(),
                        "-namespace",
                        "cds",
                        "-address",
                        address,
                        "daemon")
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().remove("WASMORCH_SHIM_CLASSPATH");
        pb.environment().put("WASMORCH_SHIM_STATE_DIR", tmp.resolve("state").toString());
        pb.environment().put("WASMORCH_MODULE_STORE", tmp.resolve("modules").toString());
        // the archive belongs to the JVM that built it: Maven's, which runs this test too
        pb.environment()
                .put(
                        "WASMORCH_SHIM_JAVA",
                        Path.of(System.getProperty("java.home"), "bin", "java").toString());
        pb.environment().put("WASMORCH_REDIS_URL", "redis://127.0.0.1:6379/2");
        Process command = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!Files.readString(out).contains(" serves unix://")) {
                assertThat(command.isAlive()).as(Files.readString(out)).isTrue();
                assertThat(System.nanoTime()).as("daemon up within 90 s").isLessThan(deadline);
                Thread.sleep(50);
            }
            long pid = Long.parseLong(Files.readString(out).split(" ")[3]);
            assertThat(Files.readAllLines(Path.of("/proc", Long.toString(pid), "maps")))
                    .anyMatch(line ->
                            line.endsWith(root.resolve("lib/wasmorch-shim.jsa").toString()));
            // its relative class path (the archive's) is resolved from the package's root
            assertThat(Path.of("/proc", Long.toString(pid), "cwd").toRealPath()).isEqualTo(root.toRealPath());
        } finally {
            command.destroy();
            assertThat(command.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(command.exitValue()).isZero();
    }
}
