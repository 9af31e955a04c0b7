package dev.wasmorch.experiment.kubernetes;

import dev.wasmorch.contract.pod.PodLabels;
import dev.wasmorch.contract.wasmapp.WasmAppApi;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.MicroTimeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays, against the mock API server, the parts of a cluster the mock lacks: the operator (a
 * WasmApp's pod and Service), the ReplicaSet controller (a Deployment's pod), the Service
 * controller (a ClusterIP), the kubelet (pod status and the container's Created event) and the
 * garbage collector (a pod or Service whose owner is gone). What the kubelet reports for a function
 * is its {@link Behaviour}.
 */
final class FakeCluster implements AutoCloseable {

    enum Behaviour {
        /** scheduled at T, sandbox T+1 s, Created event T+1.5 s (µs), started T+2 s, Ready T+3 s */
        GOOD,
        /** scheduled, started, never Ready */
        NEVER_READY,
        /** no status at all */
        NO_STATUS,
        /** the container exits with a hostile message */
        CRASH,
        /** Ready in 1970 */
        ABSURD_TIME,
        /** startedAt is no time */
        GARBAGE_TIME,
        /** the operator makes no pod and says why (Degraded) */
        DEGRADED
    }

    static final String NS = "lab";
    static final String OWNER = "fake.test/owner";

    private final KubernetesClient client;
    private final Map<String, Behaviour> behaviours;
    private final Thread thread;
    private final AtomicInteger pods = new AtomicInteger();
    private final Map<String, Instant> t0 = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private volatile Throwable error;

    FakeCluster(KubernetesClient client, Map<String, Behaviour> behaviours) {
        this.client = client;
        this.behaviours = behaviours;
        this.thread = new Thread(this::loop, "fake-cluster");
        thread.setDaemon(true);
        thread.start();
    }

    /** When the kubelet said a pod (by name) was scheduled: the T of {@link Behaviour#GOOD}. */
    Instant scheduled(String pod) {
        return t0.get(pod);
    }

    private void loop() {
        while (running) {
            try {
                step();
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                // the backend deletes objects while this runs: a vanished or replaced object is no
                // error, nor is a request that close() interrupted
                if (running && e.getCode() != 404 && e.getCode() != 409) {
                    error = e;
                }
            } catch (RuntimeException e) {
                error = e;
            }
        }
    }

    private void step() {
        for (GenericKubernetesResource app : client.genericKubernetesResources(Manifests.WASM_APPS)
                .inNamespace(NS)
                .list()
                .getItems()) {
            operator(app);
        }
        for (Deployment d : client.apps().deployments().inNamespace(NS).list().getItems()) {
            if (podsOf(d.getMetadata().getName()).isEmpty()) {
                Map<String, String> labels =
                        d.getSpec().getTemplate().getMetadata().getLabels();
                String fn = labels.get(PodLabels.FUNCTION);
                createPod(
                        d.getMetadata().getName(),
                        fn,
                        labels,
                        d.getSpec().getTemplate().getMetadata().getAnnotations());
            }
        }
        for (Service s : client.services().inNamespace(NS).list().getItems()) {
            if (s.getSpec() != null && s.getSpec().getClusterIP() == null) {
                s.getSpec().setClusterIP("127.0.0.1");
                client.resource(s).update();
            }
        }
        for (Pod p : client.pods().inNamespace(NS).list().getItems()) {
            kubelet(p);
        }
        collectGarbage();
    }

    private void operator(GenericKubernetesResource app) {
        String name = app.getMetadata().getName();
        @SuppressWarnings("unchecked")
        Map<String, Object> spec =
                (Map<String, Object>) app.getAdditionalProperties().get("spec");
        if (behaviours.get(name) == Behaviour.DEGRADED) {
            if (app.getAdditionalProperties().get("status") == null) {
                app.setAdditionalProperty(
                        "status",
                        Map.of(
                                "conditions",
                                List.of(Map.of(
                                        "type", "Degraded",
                                        "status", "True",
                                        "reason", "RuntimeClassNotFound",
                                        "message", "spec.runtimeClass: RuntimeClass spin not found\u001b[2J"))));
                client.genericKubernetesResources(Manifests.WASM_APPS)
                        .inNamespace(NS)
                        .resource(app)
                        .updateStatus();
            }
            return;
        }
        if (client.services().inNamespace(NS).withName(name).get() == null) {
            client.resource(new ServiceBuilder()
                            .withNewMetadata()
                            .withName(name)
                            .withNamespace(NS)
                            .withLabels(Map.of(OWNER, name))
                            .endMetadata()
                            .withNewSpec()
                            .withClusterIP("127.0.0.1")
                            .addNewPort()
                            .withPort((Integer) spec.get(WasmAppApi.PORT))
                            .endPort()
                            .endSpec()
                            .build())
                    .create();
        }
        if (podsOf(name).isEmpty()) {
            createPod(
                    name,
                    name,
                    Map.of(PodLabels.FUNCTION, name, WasmAppApi.MANAGED_BY, WasmAppApi.OPERATOR, Manifests.NAME, name),
                    Map.of(PodLabels.RUNTIME, PodLabels.WASM));
        }
    }

    private List<Pod> podsOf(String owner) {
        return client.pods().inNamespace(NS).withLabel(OWNER, owner).list().getItems();
    }

    private void createPod(String owner, String function, Map<String, String> labels, Map<String, String> annotations) {
        Map<String, String> all = new java.util.HashMap<>(labels);
        all.put(OWNER, owner);
        client.resource(new PodBuilder()
                        .withNewMetadata()
                        .withName(owner + "-" + pods.incrementAndGet())
                        .withNamespace(NS)
                        // the API server's part, which the mock leaves out
                        .withCreationTimestamp(
                                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
                        .withLabels(all)
                        .withAnnotations(annotations)
                        .addToAnnotations("fake.test/function", function)
                        .endMetadata()
                        .withNewSpec()
                        .withNodeName("node-1")
                        .addNewContainer()
                        .withName(owner)
                        .withImage("img")
                        .endContainer()
                        .endSpec()
                        .build())
                .create();
    }

    private void kubelet(Pod p) {
        if (p.getStatus() != null && p.getStatus().getPhase() != null) {
            return;
        }
        String name = p.getMetadata().getName();
        String fn = p.getMetadata().getAnnotations().get("fake.test/function");
        Behaviour b = behaviours.getOrDefault(fn, Behaviour.GOOD);
        if (b == Behaviour.NO_STATUS) {
            return;
        }
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        t0.put(name, t);
        String container = p.getSpec().getContainers().get(0).getName();
        PodStatusBuilder status = new PodStatusBuilder()
                .withPhase("Running")
                .withHostIP("10.0.0.1")
                .addToConditions(condition("PodScheduled", t))
                .addToConditions(condition("PodReadyToStartContainers", t.plusSeconds(1)))
                .addToConditions(condition("Initialized", t));
        var cs = new ContainerStatusBuilder().withName(container).withRestartCount(0);
        switch (b) {
            case CRASH ->
                cs.withNewState()
                        .withNewTerminated()
                        .withExitCode(1)
                        .withReason("Error")
                        .withMessage("\u001b[31mboom\nlab: run complete")
                        .endTerminated()
                        .endState();
            case GARBAGE_TIME ->
                cs.withNewState()
                        .withNewRunning()
                        .withStartedAt("yesterday")
                        .endRunning()
                        .endState();
            default ->
                cs.withNewState()
                        .withNewRunning()
                        .withStartedAt(t.plusSeconds(2).toString())
                        .endRunning()
                        .endState();
        }
        status.addToContainerStatuses(cs.build());
        if (b == Behaviour.GOOD || b == Behaviour.GARBAGE_TIME) {
            status.addToConditions(condition("Ready", t.plusSeconds(3)));
        } else if (b == Behaviour.ABSURD_TIME) {
            status.addToConditions(condition("Ready", Instant.EPOCH));
        }
        // the event first: a backend that sees Ready must find it
        client.resource(new EventBuilder()
                        .withNewMetadata()
                        .withName(name + ".created")
                        .withNamespace(NS)
                        .endMetadata()
                        .withReason("Created")
                        .withNewInvolvedObject()
                        .withKind("Pod")
                        .withName(name)
                        .withNamespace(NS)
                        .withUid(p.getMetadata().getUid())
                        .withFieldPath("spec.containers{" + container + "}")
                        .endInvolvedObject()
                        .withEventTime(new MicroTimeBuilder()
                                .withTime(t.plusMillis(1500).plusNanos(123_000).toString())
                                .build())
                        .build())
                .create();
        PodStatus s = status.build();
        p.setStatus(s);
        client.resource(p).updateStatus();
    }

    private static io.fabric8.kubernetes.api.model.PodCondition condition(String type, Instant at) {
        return new PodConditionBuilder()
                .withType(type)
                .withStatus("True")
                .withLastTransitionTime(at.toString())
                .build();
    }

    /** Pods and operator Services whose owner object is gone, as the garbage collector would. */
    private void collectGarbage() {
        for (Pod p : client.pods().inNamespace(NS).list().getItems()) {
            String owner = p.getMetadata().getLabels().get(OWNER);
            if (owner != null
                    && client.apps()
                                    .deployments()
                                    .inNamespace(NS)
                                    .withName(owner)
                                    .get()
                            == null
                    && client.genericKubernetesResources(Manifests.WASM_APPS)
                                    .inNamespace(NS)
                                    .withName(owner)
                                    .get()
                            == null) {
                client.resource(p).delete();
            }
        }
        for (Service s :
                client.services().inNamespace(NS).withLabel(OWNER).list().getItems()) {
            String owner = s.getMetadata().getLabels().get(OWNER);
            if (client.genericKubernetesResources(Manifests.WASM_APPS)
                            .inNamespace(NS)
                            .withName(owner)
                            .get()
                    == null) {
                client.resource(s).delete();
            }
        }
    }

    /** A function as a real HTTP server on 127.0.0.1, where the fake points every ClusterIP: 200 to all. */
    static com.sun.net.httpserver.HttpServer function() throws java.io.IOException {
        var http = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", x -> {
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        http.start();
        return http;
    }

    /** The run's namespace, as the admin of deploy/rbac.yaml makes it. */
    static void namespace(KubernetesClient client) {
        client.resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                        .withNewMetadata()
                        .withName(NS)
                        .endMetadata()
                        .build())
                .create();
    }

    /** The backend's settings for the fake: both runtimes on {@code port}, reached through the Service. */
    static KubernetesConfig config(
            int port, Map<String, ServiceUrl> services, List<LogSource> logs, java.nio.file.Path snapshot) {
        return new KubernetesConfig(
                NS,
                "docker.io/wasmorch/{function}:wasm",
                "docker.io/wasmorch/{function}:native",
                "spin",
                "pod",
                port,
                port,
                KubernetesConfig.Access.SERVICE,
                services,
                logs,
                java.time.Duration.ofSeconds(5),
                1 << 20,
                snapshot,
                "run-1");
    }

    /** The fake's own failure, if any (a bug of the test rather than of the backend). */
    Throwable error() {
        return error;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5000);
    }
}
