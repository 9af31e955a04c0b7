package dev.wasmorch.shim.app;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds the C test apps in src/test/c to WASI preview 1 modules with Debian's clang + wasi-libc
 * (bin/setup-test-env installs them; CI always has them). Without clang the calling test is skipped
 * with a message saying what to install.
 */
public final class TestApps {

    private static final Path SRC = Path.of(System.getProperty("wasmorch.testapps.src", "src/test/c"));
    private static final Path OUT = Path.of(System.getProperty("wasmorch.testapps.out", "target/test-apps"));

    private TestApps() {}

    /** The compiled module for {@code src/test/c/NAME.c}, built when missing or older than its source. */
    public static synchronized Path module(String name) {
        Path src = SRC.resolve(name + ".c");
        Path out = OUT.resolve(name + ".wasm");
        try {
            if (Files.exists(out) && Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(src)) >= 0) {
                return out;
            }
            assumeTrue(
                    clangAvailable(),
                    "clang for wasm32-wasi not installed: apt-get install clang lld wasi-libc "
                            + "libclang-rt-dev-wasm32 (bin/setup-test-env does); skipping tests that need the C test apps");
            Files.createDirectories(OUT);
            run(List.of(
                    "clang",
                    "--target=wasm32-wasi",
                    "--sysroot=/usr",
                    "-O2",
                    "-Wl,--strip-all",
                    "-o",
                    out.toString(),
                    src.toString()));
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot build " + src + ": " + e.getMessage(), e);
        }
    }

    /** A module file of invalid bytes: a broken upload, truncated download or non-wasm file. */
    public static Path brokenModule(Path dir) throws IOException {
        return Files.write(dir.resolve("broken.wasm"), new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, (byte) 0xff, 7, 7});
    }

    /**
     * An app directory holding a v2 manifest that routes each {@code route=name} pair to the test app
     * {@code name} as a WAGI component, with the modules copied in.
     */
    public static Path app(Path dir, String... routeToApp) throws IOException {
        StringBuilder toml = new StringBuilder("spin_manifest_version = 2\n\n[application]\nname = \"test\"\n\n");
        List<String> components = new ArrayList<>();
        for (String pair : routeToApp) {
            String[] p = pair.split("=", 2);
            toml.append("[[trigger.http]]\nroute = \"")
                    .append(p[0])
                    .append("\"\ncomponent = \"")
                    .append(p[1])
                    .append("\"\nexecutor = { type = \"wagi\" }\n\n");
            if (!components.contains(p[1])) {
                components.add(p[1]);
            }
        }
        for (String c : components) {
            Files.copy(module(c), dir.resolve(c + ".wasm"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            toml.append("[component.")
                    .append(c)
                    .append("]\nsource = \"")
                    .append(c)
                    .append(".wasm\"\n\n");
        }
        Files.writeString(dir.resolve("spin.toml"), toml);
        return dir;
    }

    private static boolean clangAvailable() {
        try {
            return Files.isDirectory(Path.of("/usr/lib/wasm32-wasi")) && run(List.of("clang", "--version")) == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static int run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": timed out");
            }
            if (p.exitValue() != 0 && !cmd.contains("--version")) {
                throw new IOException(String.join(" ", cmd) + " failed:\n" + output);
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
