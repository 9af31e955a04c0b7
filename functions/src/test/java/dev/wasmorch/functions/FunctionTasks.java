package dev.wasmorch.functions;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmorch.contract.registry.PortKeys;
import dev.wasmorch.shim.e2e.PrivateContainerd;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import redis.clients.jedis.JedisPooled;

/**
 * The functions' images on a private containerd (the shim's {@link PrivateContainerd}, on the host
 * network): imported once, then started as tasks, the WASM image by the wasmorch shim and the
 * native image's server under runc. Used by ShimAndRuncTest and ServeBench.
 */
final class FunctionTasks implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrivateContainerd containerd;
    private final JedisPooled redis;
    /** Container IDs are also Redis keys: a run's own suffix keeps parallel runs apart. */
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    /** The Redis URL the shim registers ports in; {@code containerd} must pass it to the shim. */
    FunctionTasks(PrivateContainerd containerd, String redisUrl) {
        this.containerd = containerd;
        this.redis = new JedisPooled(URI.create(redisUrl));
    }

    static String image(Catalog.Function f, String kind) {
        return "docker.io/wasmorch/" + f.name() + ":" + kind;
    }

    /** Imports both images of every function (build.sh's archives). */
    void importAll(Catalog catalog) throws Exception {
        for (Catalog.Function f : catalog.functions()) {
            for (String kind : List.of("wasm", "native")) {
                containerd
                        .ctr(
                                "image",
                                "import",
                                Catalog.OUT
                                        .resolve(f.name())
                                        .resolve(kind + ".tar")
                                        .toString())
                        .ok();
            }
        }
        Files.createDirectories(containerd.dir().resolve("logs"));
    }

    String images() throws Exception {
        return containerd.ctr("images", "ls", "-q").ok().output();
    }

    /** The WASM image under the wasmorch shim; its port is the one the shim registered in Redis. */
    Task wasm(Catalog.Function f, Map<String, String> env) throws Exception {
        String id = "fn-" + f.name() + "-wasm-" + run;
        Path log = containerd.dir().resolve("logs").resolve(id + ".log");
        List<String> args = new ArrayList<>(List.of(
                "run", "-d", "--net-host", "--runtime", PrivateContainerd.RUNTIME, "--log-uri", "file://" + log));
        env.forEach((k, v) -> args.addAll(List.of("--env", k + "=" + v)));
        args.addAll(List.of(image(f, "wasm"), id));
        containerd.ctr(args.toArray(String[]::new)).ok();
        try {
            return new Task(id, registeredPort(id), log);
        } catch (Exception | Error e) {
            remove(id);
            throw e;
        }
    }

    /** The native image under runc (containerd's default runtime), its server on a free port. */
    Task nativeServer(Catalog.Function f, Map<String, String> env) throws Exception {
        String id = "fn-" + f.name() + "-native-" + run;
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> args =
                new ArrayList<>(List.of("run", "-d", "--net-host", "--env", "HOST=127.0.0.1", "--env", "PORT=" + port));
        env.forEach((k, v) -> args.addAll(List.of("--env", k + "=" + v)));
        args.addAll(List.of(image(f, "native"), id));
        containerd.ctr(args.toArray(String[]::new)).ok();
        try {
            awaitListening(id, port);
            return new Task(id, port, null);
        } catch (Exception | Error e) {
            remove(id);
            throw e;
        }
    }

    private int registeredPort(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String json;
        while ((json = redis.get(PortKeys.byContainerId(id))) == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no port registered for " + id + "; shim log:\n" + containerd.shimLog());
            }
            Thread.sleep(50);
        }
        return JSON.readTree(json).path("port").asInt();
    }

    private static void awaitListening(String id, int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return;
            } catch (ConnectException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the native server of " + id + " does not listen on " + port, e);
                }
                Thread.sleep(50);
            }
        }
    }

    /** Kills and deletes a task and its container. */
    private void remove(String id) throws Exception {
        containerd.ctr("task", "kill", "-s", "SIGKILL", id);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (containerd.ctr("task", "delete", id).exit() != 0
                && !containerd.taskStatus(id).equals("absent")
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        containerd.ctr("container", "delete", id).ok();
    }

    @Override
    public void close() {
        redis.close();
    }

    /** One running task, killed and deleted on close. */
    final class Task implements AutoCloseable {
        private final String id;
        private final int port;
        private final Path logFile;

        private Task(String id, int port, Path logFile) {
            this.id = id;
            this.port = port;
            this.logFile = logFile;
        }

        int port() {
            return port;
        }

        /** The task's pid as containerd reports it (the server's, for runc). */
        String pid() throws Exception {
            return containerd
                    .ctr("task", "ls")
                    .ok()
                    .output()
                    .lines()
                    .filter(l -> l.startsWith(id + " "))
                    .map(l -> l.trim().split("\\s+")[1])
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no task " + id));
        }

        /** What the task wrote to stdout and stderr (WASM tasks: their log file). */
        String log() throws IOException {
            return Files.readString(logFile);
        }

        @Override
        public void close() throws Exception {
            remove(id);
        }
    }
}
