package dev.wasmorch.experiment.local;

import dev.wasmorch.experiment.backend.BackendException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The functions' backing services from functions/baas: {@code start.sh STATE} prints
 * {@code OBJECTS_URL=...} and {@code DB_URL=...} (both on 127.0.0.1), {@code stop.sh STATE} stops them.
 */
final class BackingServices implements AutoCloseable {

    private final Path baas;
    private final Path state;
    private final Map<String, String> urls = new LinkedHashMap<>();
    private boolean started;

    BackingServices(Path baas, Path state) {
        this.baas = baas;
        this.state = state;
    }

    /** Starts both services; returns the variable → URL map start.sh printed. */
    Map<String, String> start() throws BackendException {
        started = true;
        String out = Processes.run(
                List.of(baas.resolve("start.sh").toString(), state.toString()),
                Duration.ofMinutes(5),
                "functions/baas/start.sh");
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).matches("[A-Z_]+_URL")) {
                urls.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        if (!urls.containsKey("OBJECTS_URL") || !urls.containsKey("DB_URL")) {
            throw new BackendException("functions/baas/start.sh printed no OBJECTS_URL and DB_URL: " + out.strip());
        }
        return Map.copyOf(urls);
    }

    @Override
    public void close() throws BackendException {
        if (started) {
            started = false;
            Processes.run(
                    List.of(baas.resolve("stop.sh").toString(), state.toString()),
                    Duration.ofMinutes(1),
                    "functions/baas/stop.sh");
        }
    }
}
