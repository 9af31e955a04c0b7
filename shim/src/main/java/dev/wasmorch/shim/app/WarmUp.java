package dev.wasmorch.shim.app;

import dev.wasmorch.contract.pod.CriAnnotations;
import dev.wasmorch.shim.proto.task.CreateTaskRequest;
import dev.wasmorch.shim.proto.task.DeleteRequest;
import dev.wasmorch.shim.proto.task.KillRequest;
import dev.wasmorch.shim.proto.task.StartRequest;
import dev.wasmorch.shim.proto.task.StateRequest;
import dev.wasmorch.shim.proto.task.StatsRequest;
import dev.wasmorch.shim.proto.task.WaitRequest;
import dev.wasmorch.shim.task.BundleConfig;
import dev.wasmorch.shim.task.LifecycleLog;
import dev.wasmorch.shim.task.TaskKey;
import dev.wasmorch.shim.task.TaskManager;
import dev.wasmorch.shim.task.TaskService;
import dev.wasmorch.shim.task.TaskSpec;
import dev.wasmorch.shim.task.WorkloadException;
import dev.wasmorch.shim.task.WorkloadFactory;
import dev.wasmorch.shim.ttrpc.TtrpcException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
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
     * Runs up to {@code rounds} rounds through {@code launcher} (which starts an app without
     * publishing it or writing lifecycle lines), fewer if {@code stop} says so before a round.
     *
     * @return the rounds run
     *
     * @throws IllegalStateException if a round does not answer 200 {@code ok}: a broken installation
     */
    static int run(int rounds, Launcher launcher, BooleanSupplier stop) throws IOException, WorkloadException {
        Path dir = temporary("wasmorch-warm-up");
        try {
            writeApp(dir);
            int done = 0;
            for (; done < rounds && !stop.getAsBoolean(); done++) {
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
            return done;
        } finally {
            delete(dir);
        }
    }

    /** The module {@link #compiler} compiles: src/main/c/compiler-warm-up.c, built with the jar. */
    static final String COMPILER_MODULE = "compiler-warm-up.wasm";

    /**
     * Compiles a C program's module (libc's formatting, sorting, string and math code) up to
     * {@code rounds} times, fewer if {@code stop} says so before a round; it never runs. The
     * internal app's few instructions leave most of the WebAssembly parser and compiler cold, and a
     * pod's first module of a kind would pay for that in its StartContainer (docs/benchmarks.md,
     * "shim: the first pods of a node").
     *
     * @return the rounds run
     * @throws IllegalStateException if the module is missing from the class path or does not
     *                               compile: a broken build
     */
    static int compiler(int rounds, long maxMemoryBytes, BooleanSupplier stop) {
        byte[] bytes;
        try (InputStream in = WarmUp.class.getResourceAsStream(COMPILER_MODULE)) {
            if (in == null) {
                throw new IllegalStateException(
                        COMPILER_MODULE + " is not on the class path (shim/bin/build-warm-up-module)");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + COMPILER_MODULE + ": " + e.getMessage(), e);
        }
        int done = 0;
        for (; done < rounds && !stop.getAsBoolean(); done++) {
            try {
                WasmComponent.compile("compiler-warm-up", Path.of(COMPILER_MODULE), bytes, maxMemoryBytes);
            } catch (WorkloadException e) {
                throw new IllegalStateException("the warm-up module does not compile: " + e.getMessage(), e);
            }
        }
        return done;
    }

    /**
     * One pod's task calls as containerd makes them, through a task service of their own: the
     * sandbox and the internal app, each Create (from an OCI spec in a bundle, as CRI writes it),
     * Start, State, Stats, then Kill, Wait and Delete. The first pod's RunPodSandbox and
     * StartContainer then do not run the task side's code for the first time (the spec's JSON, the
     * calls' protobuf, the task table: hundreds of milliseconds on a fresh JVM). Nothing reaches
     * containerd, Redis or the lifecycle log.
     *
     * @param unpublished starts the app as a task's, without registration or lifecycle lines
     */
    static void tasks(WorkloadFactory unpublished) throws IOException, TtrpcException {
        Path dir = temporary("wasmorch-task-warm-up");
        try {
            Path sandbox = bundle(dir, "sandbox", CriAnnotations.SANDBOX);
            Path app = bundle(dir, "app", "container");
            writeApp(app.resolve("rootfs"));
            TaskService service = new TaskService(
                    new TaskManager(
                            unpublished, (namespace, event) -> {}, LifecycleLog.discarding(), Clock.systemUTC(), (int)
                                    ProcessHandle.current().pid()),
                    "wasmorch-warm-up");
            List<String> ids = List.of(SANDBOX_ID, "wasmorch-warm-up-app");
            List<Path> bundles = List.of(sandbox, app);
            for (int i = 0; i < ids.size(); i++) {
                String id = ids.get(i);
                call(
                        service,
                        "Create",
                        CreateTaskRequest.newBuilder()
                                .setId(id)
                                .setBundle(bundles.get(i).toString()));
                call(service, "Start", StartRequest.newBuilder().setId(id));
                call(service, "State", StateRequest.newBuilder().setId(id));
                call(service, "Stats", StatsRequest.newBuilder().setId(id));
            }
            for (int i = ids.size() - 1; i >= 0; i--) {
                String id = ids.get(i);
                call(service, "Kill", KillRequest.newBuilder().setId(id).setSignal(15));
                call(service, "Wait", WaitRequest.newBuilder().setId(id));
                call(service, "Delete", DeleteRequest.newBuilder().setId(id));
            }
        } finally {
            delete(dir);
        }
    }

    private static final String SANDBOX_ID = "wasmorch-warm-up-sandbox";

    /** A bundle with the spec CRI would write for a container of {@code type} in the warm-up's sandbox. */
    private static Path bundle(Path dir, String name, String type) throws IOException {
        Path bundle = created(dir.resolve(name));
        created(bundle.resolve("rootfs"));
        Path config = bundle.resolve("config.json");
        config.toFile().deleteOnExit();
        Files.writeString(
                config, """
                {"ociVersion": "1.0.2", "root": {"path": "rootfs"}, "process": {"env": ["PATH=/"]},
                 "annotations": {"%s": "%s", "%s": "%s", "io.kubernetes.cri.container-name": "warm-up",
                                 "io.kubernetes.cri.sandbox-name": "warm-up",
                                 "io.kubernetes.cri.sandbox-namespace": "wasmorch"},
                 "linux": {"namespaces": [{"type": "pid"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}]}}
                """.formatted(CriAnnotations.CONTAINER_TYPE, type, CriAnnotations.SANDBOX_ID, SANDBOX_ID));
        return bundle;
    }

    private static void call(TaskService service, String method, com.google.protobuf.Message.Builder request)
            throws TtrpcException {
        service.call(method, request.build().toByteArray(), Map.of());
    }

    /**
     * A directory removed at the end, and at JVM exit too: the daemon may be stopped during the
     * background rounds (files are deleted in the reverse order of registration, so it goes last).
     */
    private static Path temporary(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        dir.toFile().deleteOnExit();
        return dir;
    }

    private static Path created(Path dir) throws IOException {
        Files.createDirectories(dir);
        dir.toFile().deleteOnExit();
        return dir;
    }

    private static void writeApp(Path dir) throws IOException {
        created(dir);
        for (Path file : List.of(dir.resolve("spin.toml"), dir.resolve("warm-up.wasm"))) {
            file.toFile().deleteOnExit();
        }
        Files.writeString(dir.resolve("spin.toml"), MANIFEST);
        Files.write(dir.resolve("warm-up.wasm"), MODULE);
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
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
