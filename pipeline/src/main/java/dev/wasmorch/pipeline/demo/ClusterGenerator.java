package dev.wasmorch.pipeline.demo;

import dev.wasmorch.contract.lifecycle.NativeLine;
import dev.wasmorch.pipeline.model.Phase;
import dev.wasmorch.pipeline.model.PodLifecycle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Writes the logs of a synthetic K3s cluster running the study's experiment: a server node whose
 * log has the controller-manager's and scheduler's lifecycle events, agents whose kubelets log the
 * node-local steps, K3s chatter around them, and a {@code kubectl get pods -A -o json} snapshot.
 * Everything streams to disk; the same seed gives the same bytes.
 *
 * <p>Realism on purpose: agent-2's clock is off by {@link GeneratorOptions#clockSkew()}, about one
 * pod in {@value PodPlanner#INCOMPLETE_EVERY} never starts, and one in {@value #MALFORMED_EVERY}
 * gets a damaged lifecycle line next to its good ones, so the analyzer's flags and rejects show.
 */
public final class ClusterGenerator {

    /** One pod in this many gets a damaged lifecycle line. */
    static final int MALFORMED_EVERY = 131;

    static final String SERVER = "server-1";
    private static final int SERVER_PID = 1187;
    private static final int AGENT_PID = 1342;
    private static final int PROGRESS_MIN_PODS = 2_000;
    private static final List<Phase> KUBELET_PHASES = List.of(
            Phase.SEEN,
            Phase.SANDBOX_READY,
            Phase.CONTAINER_CREATED,
            Phase.CONTAINER_STARTED,
            Phase.READY,
            Phase.DELETED);

    private final GeneratorOptions options;
    private final Consumer<String> progress;

    /** Progress of big runs goes to standard error. */
    public ClusterGenerator(GeneratorOptions options) {
        this(options, System.err::println);
    }

    public ClusterGenerator(GeneratorOptions options, Consumer<String> progress) {
        this.options = options;
        this.progress = progress;
    }

    public GeneratedCluster generate(Path dir) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom root = new SplittableRandom(options.seed());
        PodPlanner planner = new PodPlanner(options, root.split());
        String ext = options.gzip() ? ".gz" : "";
        List<LogSink> sinks = new ArrayList<>();
        int incomplete = 0;
        try (PodsJsonWriter pods = new PodsJsonWriter(dir.resolve("pods.json"), options.scenario())) {
            sinks.add(new LogSink(
                    dir.resolve("server.log" + ext),
                    SERVER,
                    Duration.ZERO,
                    LineFormat.klogFile(SERVER_PID),
                    new NoiseSource(true, root.split()),
                    options.noiseRatio(),
                    options.gzip()));
            for (int a = 1; a <= options.agents(); a++) {
                sinks.add(openAgent(dir, a, ext, root.split()));
            }
            LogSink server = sinks.get(0);
            int step = Math.max(1, options.pods() / 10);
            while (planner.hasNext()) {
                PlannedPod pod = planner.next();
                // No later pod has an event before this one's creation: all earlier lines can go.
                for (LogSink sink : sinks) {
                    sink.flushBefore(pod.truth().created());
                }
                LogSink agent = sinks.get(1 + pod.agent());
                emitServer(server, pod);
                emitAgent(agent, pod);
                if (pod.podIndex() % MALFORMED_EVERY == MALFORMED_EVERY / 2) {
                    LogSink target = (pod.podIndex() / MALFORMED_EVERY) % 2 == 0 ? agent : server;
                    Instant ts = target.hostTime(pod.truth().seen().plusMillis(1));
                    target.add(
                            ts,
                            MalformedLines.line(pod.podIndex() / MALFORMED_EVERY, pod, ts, target.host()),
                            LogSink.Kind.MALFORMED,
                            pod.truth());
                }
                pods.write(pod, agent.host(), "10.0.0." + (11 + pod.agent()));
                incomplete += pod.truth().complete() ? 0 : 1;
                if (options.pods() >= PROGRESS_MIN_PODS && (pod.podIndex() + 1) % step == 0) {
                    progress.accept(String.format(
                            Locale.ROOT,
                            "generate: %3d%% (%d/%d pods)",
                            (pod.podIndex() + 1) * 100L / options.pods(),
                            pod.podIndex() + 1,
                            options.pods()));
                }
            }
        } finally {
            closeAll(sinks);
        }
        List<Path> files = new ArrayList<>();
        long lifecycle = 0;
        long malformed = 0;
        long noise = 0;
        int peak = 0;
        for (LogSink sink : sinks) {
            files.add(sink.file());
            lifecycle += sink.lifecycleLines();
            malformed += sink.malformedLines();
            noise += sink.noiseLines();
            peak = Math.max(peak, sink.peakWindow());
        }
        return new GeneratedCluster(
                files,
                dir.resolve("pods.json"),
                options.pods(),
                incomplete,
                lifecycle + malformed + noise,
                lifecycle,
                malformed,
                noise,
                peak);
    }

    private LogSink openAgent(Path dir, int a, String ext, SplittableRandom rng) throws IOException {
        String host = "agent-" + a;
        Duration skew = a == 2 ? options.clockSkew() : Duration.ZERO;
        boolean journal = options.journald() && a == options.agents();
        LineFormat format = journal
                ? LineFormat.journald(host, "k3s-agent.service", Randoms.hex(rng, 32), AGENT_PID + a)
                : LineFormat.klogFile(AGENT_PID + a);
        Path file = dir.resolve(host + (journal ? ".json" : ".log") + ext);
        return new LogSink(
                file, host, skew, format, new NoiseSource(false, rng.split()), options.noiseRatio(), options.gzip());
    }

    private static void closeAll(List<LogSink> sinks) throws IOException {
        IOException first = null;
        for (LogSink s : sinks) {
            try {
                s.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static void emitServer(LogSink server, PlannedPod pod) {
        PodLifecycle t = pod.truth();
        server.add(
                t.created(),
                NativeLine.of(t.created(), Phase.CREATED.eventName())
                        .field("ns", t.namespace())
                        .field("pod", t.pod())
                        .field("uid", t.uid())
                        .field("host", SERVER)
                        .field("component", "kube-apiserver")
                        .toString(),
                LogSink.Kind.LIFECYCLE,
                t);
        server.add(
                pod.replicaSetEvent(),
                NativeLine.of(pod.replicaSetEvent(), "KubeEvent")
                        .field("ns", t.namespace())
                        .field("host", SERVER)
                        .field("component", "kube-controller-manager")
                        .field("reason", "SuccessfulCreate")
                        .field("kind", "ReplicaSet")
                        .field("object", pod.replicaSet())
                        .field("objuid", pod.replicaSetUid())
                        .field("msg", "Created pod: " + t.pod())
                        .toString(),
                LogSink.Kind.LIFECYCLE,
                t);
        server.add(
                t.scheduled(),
                NativeLine.of(t.scheduled(), Phase.SCHEDULED.eventName())
                        .field("ns", t.namespace())
                        .field("pod", t.pod())
                        .field("uid", t.uid())
                        .field("node", t.node())
                        .field("host", SERVER)
                        .field("component", "kube-scheduler")
                        .toString(),
                LogSink.Kind.LIFECYCLE,
                t);
    }

    /** The kubelet's events, stamped with the agent's (possibly skewed) clock; steps that never happened are left out. */
    private static void emitAgent(LogSink agent, PlannedPod pod) {
        PodLifecycle t = pod.truth();
        for (Phase phase : KUBELET_PHASES) {
            if (t.at(phase) == null) {
                continue;
            }
            Instant ts = agent.hostTime(t.at(phase));
            NativeLine line = NativeLine.of(ts, phase.eventName())
                    .field("ns", t.namespace())
                    .field("pod", t.pod())
                    .field("uid", t.uid())
                    .field("node", t.node())
                    .field("host", agent.host())
                    .field("component", "kubelet");
            if (phase == Phase.CONTAINER_CREATED || phase == Phase.CONTAINER_STARTED) {
                line.field("container", pod.function().label()).field("cid", pod.containerId());
            }
            agent.add(ts, line.field("handler", pod.handler()).toString(), LogSink.Kind.LIFECYCLE, t);
        }
    }
}
