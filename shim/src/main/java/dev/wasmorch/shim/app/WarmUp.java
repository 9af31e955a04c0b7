package dev.wasmorch.shim.app;

import dev.wasmorch.shim.task.BundleConfig;
import dev.wasmorch.shim.task.TaskKey;
import dev.wasmorch.shim.task.TaskSpec;
import dev.wasmorch.shim.task.WorkloadException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The daemon's warm-up: an internal app, run through the same code as a task's app. Each round
 * reads its manifest, takes its module from the cache (compiles it the first time), binds a
 * listener, answers one HTTP request from a fresh instance and stops. The first round loads the
 * classes; the repetitions let the JIT compile the start and request path, which otherwise runs
 * interpreted for the first containers of a node.
 */
final class WarmUp {

    /**
     * The smallest WAGI module: {@code _start} writes a CGI response ({@code Content-Type:
     * text/plain}, body {@code ok}) to stdout with WASI {@code fd_write}, as a C program would.
     */
    static final byte[] MODULE = {
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
        0x01, 0x0c, 0x02, // type section, 2 types:
        0x60, 0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x01, 0x7f, //   0: (i32 i32 i32 i32) -> i32
        0x60, 0x00, 0x00, //   1: () -> ()
        0x02, 0x23, 0x01, // import section, 1 import:
        0x16, 'w', 'a', 's', 'i', '_', 's', 'n', 'a', 'p', 's', 'h', 'o', 't', '_', 'p', 'r', 'e', 'v', 'i', 'e', 'w',
        '1', 0x08, 'f', 'd', '_', 'w', 'r', 'i', 't', 'e', 0x00, 0x00, //   function 0 = fd_write, type 0
        0x03, 0x02, 0x01, 0x01, // function section: func 1 has type 1
        0x05, 0x03, 0x01, 0x00, 0x01, // memory section: min 1 page
        0x07, 0x13, 0x02, // export section, 2 exports:
        0x06, 'm', 'e', 'm', 'o', 'r', 'y', 0x02, 0x00, //   "memory" = memory 0
        0x06, '_', 's', 't', 'a', 'r', 't', 0x00, 0x01, //   "_start" = func 1
        0x0a, 0x0f, 0x01, 0x0d, 0x00, // code section, 1 body, no locals:
        0x41, 0x01, 0x41, 0x00, 0x41, 0x01, 0x41, 0x08, //   fd_write(1, iovs 0, 1 iov, nwritten 8)
        0x10, 0x00, 0x1a, 0x0b, //   call, drop the errno, end
        0x0b, 0x30, 0x02, // data section, 2 segments:
        0x00, 0x41, 0x00, 0x0b, 0x08, 0x10, 0x00, 0x00, 0x00, 0x1d, 0x00, 0x00, 0x00, // at 0: iovec {16, 29}
        0x00, 0x41, 0x10, 0x0b, 0x1d, // at 16, 29 bytes:
        'C', 'o', 'n', 't', 'e', 'n', 't', '-', 'T', 'y', 'p', 'e', ':', ' ', 't', 'e', 'x', 't', '/', 'p', 'l', 'a',
        'i', 'n', '\n', '\n', 'o', 'k', '\n'
    };

    private static final String MANIFEST = """
            spin_manifest_version = 2

            [application]
            name = "wasmorch-warm-up"

            [[trigger.http]]
            route = "/..."
            component = "warm-up"
            executor = { type = "wagi" }

            [component.warm-up]
            source = "warm-up.wasm"
            """;

    private WarmUp() {}

    /**
     * Runs {@code rounds} rounds through {@code launcher} (which starts an app without publishing it
     * or writing lifecycle lines).
     *
     * @throws IllegalStateException if a round does not answer 200 {@code ok}: a broken installation
     */
    static void run(int rounds, Launcher launcher) throws IOException, WorkloadException {
        Path dir = Files.createTempDirectory("wasmorch-warm-up");
        // the daemon may be stopped during the background rounds: remove the app at JVM exit then
        // (files are deleted in the reverse order of registration, so the directory goes last)
        dir.toFile().deleteOnExit();
        try {
            for (Path file : List.of(dir.resolve("spin.toml"), dir.resolve("warm-up.wasm"))) {
                file.toFile().deleteOnExit();
            }
            Files.writeString(dir.resolve("spin.toml"), MANIFEST);
            Files.write(dir.resolve("warm-up.wasm"), MODULE);
            for (int i = 0; i < rounds; i++) {
                // no pod annotations: it belongs to no pod, and its output goes nowhere
                TaskSpec spec = new TaskSpec(
                        new TaskKey("wasmorch", "wasmorch-warm-up"),
                        dir,
                        new BundleConfig(dir.resolve("config.json"), ".", Map.of(), Map.of(), Optional.empty()),
                        OutputStream.nullOutputStream(),
                        OutputStream.nullOutputStream());
                try (AppInstance app = launcher.launch(spec)) {
                    String answer = get(app.address());
                    if (!answer.startsWith("HTTP/1.1 200") || !answer.endsWith("\r\n\r\nok\n")) {
                        throw new IllegalStateException("warm-up app answered unexpectedly: " + answer);
                    }
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Starts an app without Redis registration and lifecycle lines. */
    interface Launcher {
        AppInstance launch(TaskSpec spec) throws WorkloadException;
    }

    /** A plain HTTP/1.1 GET on the loopback address (no HTTP client library to warm up besides ours). */
    private static String get(InetSocketAddress listener) throws IOException {
        InetAddress to =
                listener.getAddress().isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : listener.getAddress();
        try (Socket s = new Socket(to, listener.getPort())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write("GET /warm-up HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
