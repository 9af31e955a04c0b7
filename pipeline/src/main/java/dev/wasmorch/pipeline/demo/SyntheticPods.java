package dev.wasmorch.pipeline.demo;

import dev.wasmorch.contract.lifecycle.NativeLine;
import java.io.Serializable;
import java.time.Instant;

/**
 * Numbered pods that start cleanly, in volume: each logs the six events the patched K3s logs for a
 * pod (contract/log-format.md): PodCreated, PodScheduled, SandboxReady, ContainerCreated,
 * ContainerStarted and PodReady, in the native format, all as component kubelet. Where realism
 * matters (noise, other log formats, failures) {@link ClusterGenerator} is the tool; this is for
 * the stream job's JIT warm-up and the streaming benchmark, which need millions of lines cheaply.
 *
 * <p>Pod k is created k ms after {@code start}, is one of {@link #FUNCTIONS} functions, WASM
 * (handler wasmorch) when k is even, else a container (runc), and is named as a Deployment's pod
 * ({@code FUNCTION-RSHASH-PODHASH}) so that the classifier derives the function from the name. Its
 * UID is {@code uid-k}.
 *
 * @param namespace the pods' namespace
 * @param start     when pod 0 is created
 */
public record SyntheticPods(String namespace, Instant start) implements Serializable {

    public static final int EVENTS_PER_POD = 6;
    public static final int FUNCTIONS = 9;

    /** Kubernetes' alphabet for generated names (no vowels, no look-alike digits). */
    private static final String NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    /** Pod k's six lines, each ending in a newline. */
    public String lines(int k) {
        Instant created = start.plusMillis(k);
        int startedMs = 400 + k % 500;
        return line(created, "PodCreated", k)
                + line(created.plusMillis(100), "PodScheduled", k)
                + line(created.plusMillis(250), "SandboxReady", k)
                + line(created.plusMillis(startedMs - 50), "ContainerCreated", k)
                + line(created.plusMillis(startedMs), "ContainerStarted", k)
                + line(created.plusMillis(startedMs + 60), "PodReady", k);
    }

    /** Pod k's UID. */
    public static String uid(int k) {
        return "uid-" + k;
    }

    private String line(Instant ts, String event, int k) {
        boolean wasm = k % 2 == 0;
        String pod = "fn" + (k / 2 % FUNCTIONS) + (wasm ? "-7d9f8b6c5d-" : "-5c4b7f9d8x-") + suffix(k);
        String node = "agent-" + (k % 3);
        return NativeLine.of(ts, event)
                        .field("ns", namespace)
                        .field("pod", pod)
                        .field("uid", uid(k))
                        .field("node", node)
                        .field("host", node)
                        .field("component", "kubelet")
                        .field("handler", wasm ? "wasmorch" : "runc")
                        .toString()
                + "\n";
    }

    /** Five characters of the generated-name alphabet spelling k (unique below 27^5 pods). */
    private static String suffix(int k) {
        char[] c = new char[5];
        for (int i = 4; i >= 0; i--, k /= NAME_ALPHABET.length()) {
            c[i] = NAME_ALPHABET.charAt(k % NAME_ALPHABET.length());
        }
        return new String(c);
    }
}
