package dev.wasmorch.functions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The object storage and the database service, through baas/start.sh and baas/stop.sh. */
final class BackingServices implements AutoCloseable {

    private final Path state;
    private final Map<String, String> urls;

    private BackingServices(Path state, Map<String, String> urls) {
        this.state = state;
        this.urls = urls;
    }

    static BackingServices start() throws IOException, InterruptedException {
        Path state = Files.createTempDirectory("wasmorch-baas-");
        String out = run(Catalog.DIR.resolve("baas/start.sh"), state);
        Map<String, String> urls = new HashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                urls.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        if (!urls.containsKey("OBJECTS_URL") || !urls.containsKey("DB_URL")) {
            run(Catalog.DIR.resolve("baas/stop.sh"), state);
            throw new IllegalStateException("start.sh printed no OBJECTS_URL and DB_URL lines:\n" + out);
        }
        return new BackingServices(state, Map.copyOf(urls));
    }

    /** OBJECTS_URL and DB_URL, the environment a function needs to reach them. */
    Map<String, String> environment() {
        return urls;
    }

    private static String run(Path script, Path state) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(script.toString(), state.toString())
                .redirectErrorStream(true)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(script + " failed:\n" + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /** Stops both services and removes their state (configuration, logs, the endpoint's binary). */
    @Override
    public void close() throws IOException, InterruptedException {
        run(Catalog.DIR.resolve("baas/stop.sh"), state);
        try (Stream<Path> walk = Files.walk(state)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
