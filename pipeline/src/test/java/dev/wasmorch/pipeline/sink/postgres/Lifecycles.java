package dev.wasmorch.pipeline.sink.postgres;

import dev.wasmorch.pipeline.model.PodLifecycle;
import dev.wasmorch.pipeline.model.Runtime;
import java.time.Instant;

/** Pod lifecycles for sink tests: created 1 s before scheduled, started {@code seconds} after it. */
public final class Lifecycles {

    private Lifecycles() {}

    public static PodLifecycle pod(
            String name,
            Runtime runtime,
            String function,
            Instant scheduled,
            double seconds,
            String node,
            String flags) {
        Instant started = scheduled.plusNanos(Math.round(seconds * 1e9));
        return new PodLifecycle(
                "fn",
                name,
                "uid-" + name,
                node,
                runtime,
                function,
                "instantiation",
                runtime == Runtime.WASM ? "wasmorch" : null,
                scheduled.minusSeconds(1),
                scheduled,
                null,
                null,
                null,
                started,
                started.plusMillis(100),
                null,
                0,
                flags,
                true);
    }
}
