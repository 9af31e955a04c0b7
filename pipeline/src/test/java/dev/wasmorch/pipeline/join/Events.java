package dev.wasmorch.pipeline.join;

import dev.wasmorch.pipeline.model.LifecycleEvent;
import dev.wasmorch.pipeline.model.Origin;
import dev.wasmorch.pipeline.model.Phase;
import dev.wasmorch.pipeline.model.PodMetadata;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Builders for join tests: readable one-liners instead of 14-argument records. */
final class Events {

    static final Instant T0 = Instant.parse("2026-11-26T21:24:09.000000Z");

    private Events() {}

    static Instant at(double seconds) {
        return T0.plusNanos(Math.round(seconds * 1e9));
    }

    static LifecycleEvent ev(Phase phase, double seconds, String uid, String host) {
        return ev(phase, seconds, uid, host, Origin.NATIVE, null);
    }

    static LifecycleEvent ev(Phase phase, double seconds, String uid, String host, Origin origin, String container) {
        return new LifecycleEvent(
                at(seconds),
                phase,
                "default",
                "aes-7d9c5b8f6-x2x9k",
                uid,
                null,
                host,
                "test",
                container,
                null,
                origin,
                false,
                "test.log",
                (long) (seconds * 1000));
    }

    static LifecycleEvent withHandler(LifecycleEvent e, String handler) {
        return new LifecycleEvent(
                e.time(),
                e.phase(),
                e.namespace(),
                e.pod(),
                e.uid(),
                e.node(),
                e.host(),
                e.component(),
                e.container(),
                handler,
                e.origin(),
                e.secondsPrecision(),
                e.file(),
                e.line());
    }

    static LifecycleEvent withTime(LifecycleEvent e, Instant time) {
        return new LifecycleEvent(
                time,
                e.phase(),
                e.namespace(),
                e.pod(),
                e.uid(),
                e.node(),
                e.host(),
                e.component(),
                e.container(),
                e.handler(),
                e.origin(),
                e.secondsPrecision(),
                e.file(),
                e.line());
    }

    static LifecycleEvent coarse(LifecycleEvent e) {
        return new LifecycleEvent(
                e.time(),
                e.phase(),
                e.namespace(),
                e.pod(),
                e.uid(),
                e.node(),
                e.host(),
                e.component(),
                e.container(),
                e.handler(),
                e.origin(),
                true,
                e.file(),
                e.line());
    }

    /** A full pod: created 0, scheduled 0.010, seen 0.050 on agent, started 0.830, ready 0.900. */
    static List<LifecycleEvent> fullPod(String uid) {
        return List.of(
                ev(Phase.CREATED, 0.0, uid, "server"),
                ev(Phase.SCHEDULED, 0.010, uid, "server"),
                ev(Phase.SEEN, 0.050, uid, "agent-1"),
                ev(Phase.SANDBOX_READY, 0.300, uid, "agent-1"),
                ev(Phase.CONTAINER_CREATED, 0.700, uid, "agent-1", Origin.NATIVE, "aes"),
                ev(Phase.CONTAINER_STARTED, 0.830, uid, "agent-1", Origin.NATIVE, "aes"),
                ev(Phase.READY, 0.900, uid, "agent-1"));
    }

    static PodMetadata meta(
            String uid,
            String runtimeClass,
            Map<String, String> labels,
            Map<String, String> annotations,
            String ownerKind,
            String ownerName) {
        return new PodMetadata(
                uid,
                "default",
                "aes-7d9c5b8f6-x2x9k",
                "agent-1",
                runtimeClass,
                labels,
                annotations,
                ownerKind,
                ownerName,
                List.of("ghcr.io/example/aes:1"),
                T0);
    }
}
