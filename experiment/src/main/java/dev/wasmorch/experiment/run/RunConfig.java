package dev.wasmorch.experiment.run;

import dev.wasmorch.experiment.backend.Readiness;
import dev.wasmorch.experiment.model.Scenario;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A run's settings, as the command line gave them.
 *
 * @param repetitions redeploys per function and runtime in the instantiation scenario
 * @param serial how long hey runs per function and runtime in the serial scenario
 * @param concurrent the same for the concurrent scenario (capped at 60 s: at most 1,500 requests)
 */
public record RunConfig(
        String backend,
        Set<Scenario> scenarios,
        int repetitions,
        Duration serial,
        Duration concurrent,
        Readiness readiness) {

    /** The settings as run.json records them. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", backend);
        m.put("scenarios", scenarios.stream().map(Scenario::label).sorted().toList());
        m.put("repetitions", repetitions);
        m.put("serial_duration_s", serial.toSeconds());
        m.put("concurrent_duration_s", concurrent.toSeconds());
        m.put("readiness_interval_ms", readiness.interval().toMillis());
        m.put("readiness_timeout_s", readiness.timeout().toSeconds());
        m.put("deploy_attempts", readiness.attempts());
        return m;
    }
}
