package dev.wasmorch.pipeline.demo;

import dev.wasmorch.pipeline.model.PodLifecycle;
import dev.wasmorch.pipeline.model.Runtime;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Plans pods one after another in creation order with realistic timings: scheduling a few ms after
 * creation, the kubelet seeing the pod ~10 ms later, and scheduled → started lognormal with a mean
 * of 0.82 s (WASM) or 1.72 s (container), the 2023 study's means, scaled per function.
 */
final class PodPlanner {

    static final double WASM_MEAN_S = 0.82;
    static final double CONTAINER_MEAN_S = 1.72;
    private static final double WASM_SIGMA = 0.14;
    private static final double CONTAINER_SIGMA = 0.16;
    /** One pod in this many fails to start (image pull error or deleted while creating). */
    static final int INCOMPLETE_EVERY = 97;

    private static final String NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final long SUFFIX_SPACE = 27L * 27 * 27 * 27 * 27;
    /** Coprime to 27^5, so index * STRIDE mod 27^5 never repeats: pod names stay unique. */
    private static final long SUFFIX_STRIDE = 7_368_787L;

    private final GeneratorOptions options;
    private final SplittableRandom rng;
    private final Map<StudyFunction, String[]> replicaSets = new EnumMap<>(StudyFunction.class);
    private final long suffixOffset;
    private Instant clock;
    private int next;

    PodPlanner(GeneratorOptions options, SplittableRandom rng) {
        this.options = options;
        this.rng = rng;
        this.clock = options.start();
        this.suffixOffset = rng.nextLong(SUFFIX_SPACE);
        for (StudyFunction f : StudyFunction.values()) {
            // [wasm hash, wasm rs uid, container hash, container rs uid]
            replicaSets.put(f, new String[] {randomName(10), uuid(), randomName(10), uuid()});
        }
    }

    boolean hasNext() {
        return next < options.pods();
    }

    PlannedPod next() {
        int i = next++;
        StudyFunction function = StudyFunction.values()[(i / 2) % StudyFunction.values().length];
        Runtime runtime = i % 2 == 0 ? Runtime.WASM : Runtime.CONTAINER;
        boolean wasm = runtime == Runtime.WASM;
        clock = clock.plus(seconds(0.05 + exponential(0.6)));
        Instant created = clock;

        String[] rs = replicaSets.get(function);
        String rsName = function.deployment(runtime) + "-" + (wasm ? rs[0] : rs[2]);
        String name = rsName + "-" + suffix(i);
        String runtimeClass = wasm ? function.wasmRuntimeClass() : null;
        String handler = wasm ? runtimeClass : "runc";
        String image = "ghcr.io/wasmorch/functions/" + function.label() + (wasm ? "-wasm" : "") + ":0.1.0";

        Instant rsEvent = created.plus(seconds(0.0003 + rng.nextDouble() * 0.0015));
        Instant scheduled = created.plus(seconds(lognormal(0.006, 0.5)));
        double mean = (wasm ? WASM_MEAN_S : CONTAINER_MEAN_S) * function.factor();
        double sigma = wasm ? WASM_SIGMA : CONTAINER_SIGMA;
        double instantiation = lognormal(mean / Math.exp(sigma * sigma / 2), sigma);
        double seenAfter = Math.min(lognormal(0.009, 0.4), instantiation / 10);
        Instant seen = scheduled.plus(seconds(seenAfter));
        Instant started = scheduled.plus(seconds(instantiation));
        Instant sandbox = seen.plus(seconds((instantiation - seenAfter) * (0.35 + 0.15 * rng.nextDouble())));
        Instant containerCreated = sandbox.plus(Duration.between(sandbox, started)
                .multipliedBy(55 + rng.nextInt(30))
                .dividedBy(100));
        Instant ready = started.plus(seconds(lognormal(wasm ? 0.06 : 0.45, 0.3)));

        Instant deleted = null;
        if (i % INCOMPLETE_EVERY == INCOMPLETE_EVERY / 2) {
            // Every other failure is an image pull error (stuck after the sandbox), the rest are
            // deleted while their container was being created.
            boolean pullError = (i / INCOMPLETE_EVERY) % 2 == 0;
            deleted = pullError ? null : containerCreated.plus(seconds(0.2 + rng.nextDouble()));
            containerCreated = pullError ? null : containerCreated;
            started = null;
            ready = null;
        }
        int agent = rng.nextInt(options.agents());
        PodLifecycle truth = new PodLifecycle(
                wasm ? "default" : "openfaas-fn",
                name,
                uuid(),
                "agent-" + (agent + 1),
                runtime,
                function.label(),
                options.scenario(),
                runtimeClass,
                created,
                scheduled,
                seen,
                sandbox,
                containerCreated,
                started,
                ready,
                deleted,
                0,
                started == null ? "incomplete" : "",
                started != null);
        return new PlannedPod(
                i, function, truth, agent, rsName, wasm ? rs[1] : rs[3], rsEvent, handler, image, Randoms.hex(rng, 64));
    }

    private static Duration seconds(double s) {
        return Duration.ofNanos(Math.round(s * 1e6) * 1_000L);
    }

    private double exponential(double mean) {
        return -mean * Math.log(1 - rng.nextDouble());
    }

    private double lognormal(double median, double sigma) {
        return median * Math.exp(sigma * gaussian());
    }

    /** Box-Muller; SplittableRandom has no nextGaussian on Java 17. */
    private double gaussian() {
        double u1 = 1 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private String suffix(int index) {
        long v = Math.floorMod(index * SUFFIX_STRIDE + suffixOffset, SUFFIX_SPACE);
        char[] out = new char[5];
        for (int k = 4; k >= 0; k--) {
            out[k] = NAME_ALPHABET.charAt((int) (v % 27));
            v /= 27;
        }
        return new String(out);
    }

    private String randomName(int length) {
        char[] out = new char[length];
        for (int k = 0; k < length; k++) {
            out[k] = NAME_ALPHABET.charAt(rng.nextInt(NAME_ALPHABET.length()));
        }
        return new String(out);
    }

    /** A version-4 UUID drawn from the seeded generator (java.util.UUID's own is not seedable). */
    private String uuid() {
        long msb = (rng.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (rng.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new java.util.UUID(msb, lsb).toString();
    }
}
