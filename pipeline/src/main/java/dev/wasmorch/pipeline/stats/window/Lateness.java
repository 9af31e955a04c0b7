package dev.wasmorch.pipeline.stats.window;

import java.io.Serializable;
import java.time.Duration;

/**
 * How late a pod may arrive for its minute window. In BATCH mode every window fires once at the
 * end of input, so only the streaming job depends on these.
 *
 * @param outOfOrderness how late PodScheduled times may arrive before their minute window fires
 * @param allowed        how long a fired minute window still takes late pods (and fires again)
 */
public record Lateness(Duration outOfOrderness, Duration allowed) implements Serializable {

    public static Lateness defaults() {
        return new Lateness(Duration.ofSeconds(10), Duration.ofMinutes(10));
    }
}
