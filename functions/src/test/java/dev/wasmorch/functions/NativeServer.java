package dev.wasmorch.functions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One function's native server (target/functions/NAME/NAME) on a free 127.0.0.1 port. */
final class NativeServer implements AutoCloseable {

    private final Process process;
    private final int port;

    private NativeServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static NativeServer start(Catalog.Function f, Map<String, String> env) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(
                        Catalog.OUT.resolve(f.name()).resolve(f.file()).toString())
                .redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("HOST", "127.0.0.1");
        pb.environment().put("PORT", Integer.toString(port));
        Process p = pb.start();
        // the server prints one line once it listens (or an error and exits)
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (line == null || !line.equals("listening on 127.0.0.1:" + port)) {
            p.destroyForcibly();
            throw new IllegalStateException(f.name() + " did not start: " + line);
        }
        return new NativeServer(p, port);
    }

    URI uri(String path, String query) {
        return URI.create("http://127.0.0.1:" + port + path + (query.isEmpty() ? "" : "?" + query));
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Stops the server with SIGTERM; returns its exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }
}
