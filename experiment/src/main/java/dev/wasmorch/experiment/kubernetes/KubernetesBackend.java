package dev.wasmorch.experiment.kubernetes;

import dev.wasmorch.experiment.backend.Backend;
import dev.wasmorch.experiment.backend.BackendException;
import dev.wasmorch.experiment.backend.DeployException;
import dev.wasmorch.experiment.backend.Readiness;
import dev.wasmorch.experiment.model.Deployment;
import dev.wasmorch.experiment.model.FunctionSpec;
import dev.wasmorch.experiment.model.ImageSize;
import dev.wasmorch.experiment.model.PodRef;
import dev.wasmorch.experiment.model.PodSpec;
import dev.wasmorch.experiment.model.PodTimings;
import dev.wasmorch.experiment.model.Runtime;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code kubernetes} backend: a real cluster (patched K3s or any other) through fabric8. WASM pods
 * come from a WasmApp (the operator makes the Deployment, Service and pod), container pods from a
 * Deployment and a Service written here. See experiment/deploy/README.md.
 *
 * <p>Waiting polls the API, at the readiness interval but not more often than every {@value
 * #MIN_POLL_MILLIS} ms, since every poll is a request to the API server: the timings come from the
 * pod's status, not from when a poll saw it, so the interval does not change them.
 */
public final class KubernetesBackend implements Backend {

    static final long MIN_POLL_MILLIS = 50;

    /** The longest single HTTP probe of a ready pod. */
    private static final int PROBE_MILLIS = 2000;

    private final KubernetesClient client;
    private final KubernetesConfig config;
    private final Manifests manifests;
    private final Access access;
    private final PodSnapshot snapshot = new PodSnapshot();
    private final Map<String, Made> made = new ConcurrentHashMap<>();
    private final Set<String> functionsMade = ConcurrentHashMap.newKeySet();
    private final Map<String, String> facts = new LinkedHashMap<>();
    private volatile Readiness readiness = Readiness.defaults();
    private volatile boolean stopping;
    private volatile long since = Instant.now().getEpochSecond();

    /** The objects of one trial, from before they are asked for until they are gone. */
    private record Made(PodSpec spec, PodRef pod, LocalPortForward forward) {
        Made withPod(PodRef p, LocalPortForward f) {
            return new Made(spec, p, f);
        }
    }

    public KubernetesBackend(KubernetesClient client, KubernetesConfig config) {
        this.client = client;
        this.config = config;
        this.manifests = new Manifests(config);
        this.access = new Access(client, config);
        facts.put("kubernetes.namespace", config.namespace());
        facts.put("kubernetes.access", config.access().name().toLowerCase(java.util.Locale.ROOT));
        facts.put("kubernetes.wasm_image", config.wasmImage());
        facts.put("kubernetes.container_image", config.containerImage());
        facts.put("kubernetes.runtime_class", config.runtimeClass());
        facts.put("kubernetes.network_mode", config.networkMode());
        facts.put("kubernetes.run_id", config.runId());
        config.nodeLogs()
                .forEach(s -> facts.put(
                        "kubernetes.node_log." + s.name(),
                        s.file() != null ? "file " + s.file() : "command " + String.join(" ", s.command())));
    }

    @Override
    public String name() {
        return "kubernetes";
    }

    @Override
    public void prepare(Setup setup) throws BackendException {
        readiness = setup.readiness();
        since = Instant.now().getEpochSecond();
        setup.progress()
                .line("kubernetes: API server " + client.getConfiguration().getMasterUrl());
        try {
            if (client.namespaces().withName(config.namespace()).get() == null) {
                throw new BackendException("namespace " + config.namespace()
                        + " does not exist (kubectl create namespace " + config.namespace()
                        + ", then kubectl apply -f experiment/deploy/rbac.yaml)");
            }
            client.genericKubernetesResources(Manifests.WASM_APPS)
                    .inNamespace(config.namespace())
                    .list();
        } catch (KubernetesClientException e) {
            throw new BackendException(
                    e.getCode() == 404
                            ? "the WasmApp resource is not installed (kubectl apply -f operator/deploy/crd/)"
                            : "cannot reach the API server "
                                    + client.getConfiguration().getMasterUrl() + ": "
                                    + Untrusted.printable(e.getMessage()) + rootCause(e),
                    e);
        }
        List<String> missing = new ArrayList<>();
        for (FunctionSpec f : setup.functions()) {
            for (String s : f.services()) {
                if (!config.services().containsKey(s)) {
                    missing.add(s + " (for " + f.name() + ")");
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new BackendException("no URL for the backing service(s) " + String.join(", ", missing)
                    + ": give --service-url NAME=URL (functions/baas serves them)");
        }
        synchronized (facts) {
            try {
                var version = client.getKubernetesVersion();
                facts.put(
                        "kubernetes.server",
                        version == null ? "unknown" : Untrusted.printable(version.getGitVersion()));
            } catch (KubernetesClientException e) {
                facts.put("kubernetes.server", "unknown: " + Untrusted.printable(e.getMessage()));
            }
            try {
                for (var node : client.nodes().list().getItems()) {
                    var info =
                            node.getStatus() == null ? null : node.getStatus().getNodeInfo();
                    if (info == null) {
                        continue;
                    }
                    String n = "kubernetes.node."
                            + Untrusted.printable(node.getMetadata().getName());
                    facts.put(n + ".kubelet", Untrusted.printable(info.getKubeletVersion()));
                    facts.put(n + ".container_runtime", Untrusted.printable(info.getContainerRuntimeVersion()));
                    facts.put(n + ".kernel", Untrusted.printable(info.getKernelVersion()));
                    facts.put(n + ".os", Untrusted.printable(info.getOsImage()));
                }
            } catch (KubernetesClientException e) {
                facts.put("kubernetes.nodes", "unknown: " + Untrusted.printable(e.getMessage()));
            }
        }
        setup.progress().line("kubernetes: namespace " + config.namespace() + ", run " + config.runId());
    }

    @Override
    public Deployment deploy(PodSpec spec) throws DeployException {
        String name = Manifests.objectName(spec);
        PodRef unmade = new PodRef(config.namespace(), spec.name(), "");
        if (stopping) {
            // nothing was made, so no pod is named
            throw new DeployException("stopped: removeAll ran, " + name + " is not made", null, PodTimings.NONE, null);
        }
        Instant requested = Instant.now();
        long deadline = System.nanoTime() + readiness.timeout().toNanos();
        Made entry = new Made(spec, unmade, null);
        Pod last = null;
        try {
            // before anything is registered: a refused name must not be removed later as ours
            clearLeftovers(spec, deadline);
            made.put(name, entry);
            functionsMade.add(name);
            if (stopping) {
                throw new DeployException("stopped before " + name + " was made", unmade, PodTimings.NONE, null);
            }
            create(spec);
            Timeline timeline = new Timeline(config.namespace() + "/" + name, requested, Instant.now());
            String container = Manifests.container(spec);
            String waiting = "no pod yet";
            while (System.nanoTime() < deadline && !stopping) {
                Pod pod = onlyPod(spec);
                if (pod == null) {
                    AppProblem problem = appProblem(spec);
                    waiting = "no pod yet" + problem.text();
                    if (problem.hopeless()) {
                        throw new DeployException(name + ": " + waiting, entry.pod(), PodTimings.NONE, null);
                    }
                } else {
                    last = pod;
                    PodRef ref = ref(pod);
                    made.put(name, entry = entry.withPod(ref, null));
                    PodState state = PodState.of(pod, container);
                    if (state.failure() != null) {
                        throw failed(spec, pod, timeline, state.failure());
                    }
                    if (state.ready()) {
                        return answer(spec, pod, timeline, deadline);
                    }
                    waiting = state.waiting();
                }
                pause();
            }
            String why = stopping
                    ? "stopped while waiting (" + waiting + ")"
                    : "not ready within " + seconds() + " s: " + waiting;
            throw last == null
                    ? new DeployException(name + ": " + why, entry.pod(), PodTimings.NONE, null)
                    : failed(spec, last, timeline, why);
        } catch (KubernetesClientException e) {
            PodRef pod = madePod(name, unmade);
            throw new DeployException(
                    name + ": the API server refused: " + Untrusted.printable(e.getMessage()), pod, PodTimings.NONE, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException(name + ": interrupted", madePod(name, unmade), PodTimings.NONE, e);
        }
    }

    private void create(PodSpec spec) {
        List<EnvVar> env = env(spec.function());
        if (spec.runtime() == Runtime.WASM) {
            client.genericKubernetesResources(Manifests.WASM_APPS)
                    .inNamespace(config.namespace())
                    .resource(manifests.wasmApp(spec, env))
                    .create();
        } else {
            client.resource(manifests.deployment(spec, env)).create();
            client.resource(manifests.service(spec)).create();
        }
    }

    private List<EnvVar> env(FunctionSpec f) {
        List<EnvVar> env = new ArrayList<>();
        // the catalog names the variable of each service; prepare checked that every URL is given
        for (String s : f.services()) {
            ServiceUrl u = config.services().get(s);
            env.add(new EnvVarBuilder().withName(u.env()).withValue(u.url()).build());
        }
        return env;
    }

    /** The pod is ready: its timings, its snapshot, and the wait until it answers through the access. */
    private Deployment answer(PodSpec spec, Pod pod, Timeline timeline, long deadline)
            throws DeployException, InterruptedException {
        String container = Manifests.container(spec);
        PodTimings timings;
        try {
            timings = timeline.of(pod, events(pod), container);
        } catch (Timeline.BadTime e) {
            snapshot.take(pod);
            throw new DeployException(e.getMessage(), ref(pod), PodTimings.NONE, e);
        }
        snapshot.take(pod);
        String name = Manifests.objectName(spec);
        String path = spec.function().request().path();
        Access.Opened opened = null;
        while (System.nanoTime() < deadline && !stopping) {
            try {
                if (opened == null) {
                    opened = access.open(spec, pod);
                    if (opened != null) {
                        LocalPortForward forward = opened.forward();
                        made.computeIfPresent(name, (k, m) -> m.withPod(ref(pod), forward));
                    }
                }
                int left = (int) Math.max(1, Math.min(PROBE_MILLIS, (deadline - System.nanoTime()) / 1_000_000));
                if (opened != null && Access.answers(opened.endpoint(), path, left)) {
                    return new Deployment(ref(pod), spec, timings, opened.endpoint());
                }
            } catch (IOException e) {
                throw new DeployException(name + ": " + e.getMessage(), ref(pod), timings, e);
            }
            pause();
        }
        throw new DeployException(
                name + ": Ready, but "
                        + (opened == null
                                ? "no way to it (" + config.access() + ") within "
                                : "no HTTP answer at " + opened.endpoint().host() + ":"
                                        + opened.endpoint().port() + " within ")
                        + seconds() + " s",
                ref(pod),
                timings,
                null);
    }

    private DeployException failed(PodSpec spec, Pod pod, Timeline timeline, String why) {
        snapshot.take(pod);
        PodTimings reached;
        String bad = "";
        try {
            reached = timeline.of(pod, events(pod), Manifests.container(spec));
        } catch (Timeline.BadTime e) {
            reached = PodTimings.NONE;
            bad = "; " + e.getMessage();
        } catch (KubernetesClientException e) {
            reached = PodTimings.NONE;
        }
        return new DeployException(
                config.namespace() + "/" + pod.getMetadata().getName() + ": " + why + bad, ref(pod), reached, null);
    }

    /**
     * The pod's events. By the field selector {@code involvedObject.uid}; a server that ignores it
     * (the tests' mock) gives none, and then the namespace's events are filtered here: the namespace
     * is the run's, and events expire (an hour by default), so that list stays bounded.
     */
    private List<Event> events(Pod pod) {
        String uid = pod.getMetadata().getUid();
        var events = client.v1().events().inNamespace(config.namespace());
        List<Event> found = events.withField("involvedObject.uid", uid).list().getItems();
        if (found.isEmpty()) {
            found = events.list().getItems();
        }
        return found.stream()
                .filter(e -> e.getInvolvedObject() != null
                        && uid.equals(e.getInvolvedObject().getUid()))
                .toList();
    }

    /** The function's pod on the runtime that is not being deleted, or null; two of them are an error. */
    private Pod onlyPod(PodSpec spec) {
        List<Pod> pods = client
                .pods()
                .inNamespace(config.namespace())
                .withLabels(manifests.podSelector(spec))
                .list()
                .getItems()
                .stream()
                .filter(p -> p.getMetadata() != null && p.getMetadata().getDeletionTimestamp() == null)
                .toList();
        if (pods.size() > 1) {
            throw new KubernetesClientException(pods.size() + " pods match " + manifests.podSelector(spec)
                    + " where one was asked for: another client deploys this function in " + config.namespace());
        }
        return pods.isEmpty() ? null : pods.get(0);
    }

    /** Degraded reasons of a WasmApp that no wait mends: the spec or the cluster must change. */
    private static final Set<String> HOPELESS_APP =
            Set.of("InvalidSpec", "RuntimeClassNotFound", "RuntimeClassNotWasm");

    /** Why the operator made no pod, as far as the WasmApp says, and whether waiting could help. */
    private record AppProblem(String text, boolean hopeless) {}

    /** Why the operator did not make the app's pod, when it says (its Degraded condition). */
    private AppProblem appProblem(PodSpec spec) {
        if (spec.runtime() != Runtime.WASM) {
            return new AppProblem("", false);
        }
        var app = client.genericKubernetesResources(Manifests.WASM_APPS)
                .inNamespace(config.namespace())
                .withName(Manifests.objectName(spec))
                .get();
        Object status = app == null ? null : app.getAdditionalProperties().get("status");
        Object conditions = status instanceof Map<?, ?> m ? m.get("conditions") : null;
        if (conditions instanceof List<?> list) {
            for (Object c : list) {
                if (c instanceof Map<?, ?> cm && "Degraded".equals(cm.get("type")) && "True".equals(cm.get("status"))) {
                    String reason = String.valueOf(cm.get("reason"));
                    return new AppProblem(
                            " (WasmApp Degraded: " + Untrusted.printable(reason) + ": "
                                    + Untrusted.printable(String.valueOf(cm.get("message"))) + ")",
                            HOPELESS_APP.contains(reason));
                }
            }
            return new AppProblem("", false);
        }
        return new AppProblem(app == null ? "" : " (the WasmApp has no status: is the operator running?)", false);
    }

    /**
     * Objects of the same name from an earlier trial of this run are removed; another's are refused,
     * since removing them would destroy what this run does not own.
     */
    private void clearLeftovers(PodSpec spec, long deadline) throws DeployException, InterruptedException {
        for (Resource<? extends HasMetadata> r : resources(spec)) {
            HasMetadata existing = r.get();
            if (existing == null) {
                continue;
            }
            Map<String, String> labels = existing.getMetadata().getLabels();
            if (labels == null || !config.runId().equals(labels.get(Manifests.RUN))) {
                throw new DeployException(
                        existing.getKind() + " " + config.namespace() + "/"
                                + existing.getMetadata().getName()
                                + " exists and is not this run's (label " + Manifests.RUN + "=" + config.runId()
                                + "): remove it or use another namespace",
                        null,
                        PodTimings.NONE,
                        null);
            }
            r.delete();
        }
        awaitGone(spec, deadline);
    }

    @SuppressWarnings("unchecked")
    private List<Resource<? extends HasMetadata>> resources(PodSpec spec) {
        String name = Manifests.objectName(spec);
        String ns = config.namespace();
        if (spec.runtime() == Runtime.WASM) {
            return List.of((Resource<? extends HasMetadata>)
                    (Resource<?>) client.genericKubernetesResources(Manifests.WASM_APPS)
                            .inNamespace(ns)
                            .withName(name));
        }
        return List.of(
                (Resource<? extends HasMetadata>) (Resource<?>)
                        client.apps().deployments().inNamespace(ns).withName(name),
                (Resource<? extends HasMetadata>)
                        (Resource<?>) client.services().inNamespace(ns).withName(name));
    }

    /** Waits until the objects and pods of the function on the runtime are gone. */
    private boolean awaitGone(PodSpec spec, long deadline) throws InterruptedException {
        while (true) {
            boolean objects = resources(spec).stream().allMatch(r -> r.get() == null);
            boolean pods = client.pods()
                    .inNamespace(config.namespace())
                    .withLabels(manifests.podSelector(spec))
                    .list()
                    .getItems()
                    .isEmpty();
            if (objects && pods) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            pause();
        }
    }

    @Override
    public void remove(PodRef pod) throws BackendException {
        Map.Entry<String, Made> found = made.entrySet().stream()
                .filter(e -> e.getValue().pod().equals(pod))
                .findFirst()
                .orElse(null);
        if (found == null) {
            return;
        }
        try {
            if (!removeObjects(found.getValue().spec(), found.getValue().forward())) {
                throw new BackendException(pod.namespace() + "/" + pod.name() + ": still there " + seconds()
                        + " s after its objects were deleted");
            }
            made.remove(found.getKey(), found.getValue());
        } catch (KubernetesClientException e) {
            throw new BackendException(
                    "cannot remove " + pod.namespace() + "/" + pod.name() + ": " + Untrusted.printable(e.getMessage()),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("interrupted while removing " + pod.name(), e);
        }
    }

    private boolean removeObjects(PodSpec spec, LocalPortForward forward) throws InterruptedException {
        if (forward != null) {
            try {
                forward.close();
            } catch (IOException ignored) {
                // the local socket goes with the process at the latest
            }
        }
        for (Resource<? extends HasMetadata> r : resources(spec)) {
            HasMetadata o = r.get();
            // only what carries the run's label: a name alone does not make an object ours
            if (o != null
                    && o.getMetadata().getLabels() != null
                    && config.runId().equals(o.getMetadata().getLabels().get(Manifests.RUN))) {
                r.delete();
            }
        }
        return awaitGone(spec, System.nanoTime() + readiness.timeout().toNanos());
    }

    @Override
    public Map<PodRef, String> removeAll() {
        stopping = true;
        Map<PodRef, String> left = new LinkedHashMap<>();
        for (Made m : List.copyOf(made.values())) {
            guarded(left, m.pod(), () -> {
                remove(m.pod());
                return null;
            });
        }
        if (functionsMade.isEmpty()) {
            // no deploy got as far as registering: the run's label (its own id) is on nothing yet
            return left;
        }
        // What a create in flight or a crashed earlier attempt left: everything that carries the run's label.
        PodRef sweep = new PodRef(config.namespace(), "(run " + config.runId() + ")", "");
        guarded(left, sweep, () -> {
            // one delete per object found: Services have no delete-collection before Kubernetes 1.23
            String ns = config.namespace();
            List<HasMetadata> stray = new ArrayList<>();
            stray.addAll(client.genericKubernetesResources(Manifests.WASM_APPS)
                    .inNamespace(ns)
                    .withLabel(Manifests.RUN, config.runId())
                    .list()
                    .getItems());
            stray.addAll(client.apps()
                    .deployments()
                    .inNamespace(ns)
                    .withLabel(Manifests.RUN, config.runId())
                    .list()
                    .getItems());
            stray.addAll(client.services()
                    .inNamespace(ns)
                    .withLabel(Manifests.RUN, config.runId())
                    .list()
                    .getItems());
            for (HasMetadata o : stray) {
                if (o instanceof io.fabric8.kubernetes.api.model.GenericKubernetesResource g) {
                    client.genericKubernetesResources(Manifests.WASM_APPS)
                            .inNamespace(ns)
                            .resource(g)
                            .delete();
                } else {
                    client.resource(o).delete();
                }
            }
            long deadline = System.nanoTime() + readiness.timeout().toNanos();
            for (String fn : functionsMade) {
                PodSpec any = specFor(fn);
                if (!awaitGone(any, deadline)) {
                    throw new BackendException("objects or pods of " + fn + " still there " + seconds() + " s later");
                }
            }
            return null;
        });
        return left;
    }

    /** A stand-in spec that names a function's objects (what {@link #resources} and the selector need). */
    private PodSpec specFor(String objectName) {
        boolean container = objectName.endsWith(Manifests.CONTAINER_SUFFIX);
        String fn = container
                ? objectName.substring(0, objectName.length() - Manifests.CONTAINER_SUFFIX.length())
                : objectName;
        return new PodSpec(
                objectName,
                new FunctionSpec(fn, "", null, List.of()),
                container ? Runtime.CONTAINER : Runtime.WASM,
                "");
    }

    private interface Step {
        Void run() throws Exception;
    }

    private static void guarded(Map<PodRef, String> left, PodRef pod, Step step) {
        try {
            step.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            left.put(pod, "interrupted");
        } catch (Exception e) {
            left.put(pod, Untrusted.printable(e.getMessage()));
        }
    }

    @Override
    public List<ImageSize> imageSizes(FunctionSpec function) throws BackendException {
        List<io.fabric8.kubernetes.api.model.Node> nodes;
        try {
            nodes = client.nodes().list().getItems();
        } catch (KubernetesClientException e) {
            throw new BackendException("cannot list nodes for image sizes: " + Untrusted.printable(e.getMessage()), e);
        }
        ImageSizes sizes = new ImageSizes(nodes);
        List<ImageSize> found = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (Runtime r : Runtime.values()) {
            String image = KubernetesConfig.image(
                    r == Runtime.WASM ? config.wasmImage() : config.containerImage(), function.name());
            Long bytes = sizes.of(image);
            if (bytes == null) {
                unknown.add(r.label() + " image " + image);
            } else {
                found.add(new ImageSize(function.name(), r, image, bytes));
            }
        }
        if (!unknown.isEmpty()) {
            throw new BackendException("size unknown: no node reports " + String.join(", ", unknown)
                    + " in status.images (not pulled yet, or beyond the kubelet's 50 reported images; the registry is"
                    + " not asked)" + (found.isEmpty() ? "" : "; known: " + found));
        }
        return found;
    }

    @Override
    public Map<String, String> facts() {
        synchronized (facts) {
            return Map.copyOf(facts);
        }
    }

    @Override
    public void collect(Path dir) throws BackendException {
        List<String> problems = new ArrayList<>();
        if (config.podSnapshot() != null) {
            try {
                snapshot.write(config.podSnapshot());
            } catch (IOException e) {
                problems.add("pod snapshot " + config.podSnapshot() + ": " + e.getMessage());
            }
        }
        try {
            problems.addAll(
                    new NodeLogs(config.logTimeout(), config.logMaxBytes()).collect(config.nodeLogs(), dir, since));
        } catch (IOException e) {
            problems.add("node logs into " + dir + ": " + e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new BackendException(String.join("; ", problems));
        }
    }

    @Override
    public void close() {
        for (Made m : made.values()) {
            if (m.forward() != null) {
                try {
                    m.forward().close();
                } catch (IOException ignored) {
                    // closing: nothing more to do with it
                }
            }
        }
        client.close();
    }

    /** The pod a trial's objects stand for now; removeAll may have taken the entry meanwhile. */
    private PodRef madePod(String name, PodRef otherwise) {
        Made m = made.get(name);
        return m == null ? otherwise : m.pod();
    }

    /** fabric8's message names the request only; why it failed (refused, TLS, DNS) is in the cause. */
    private static String rootCause(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c == e ? "" : " (" + c.getClass().getSimpleName() + ": " + Untrusted.printable(c.getMessage()) + ")";
    }

    private static PodRef ref(Pod pod) {
        return new PodRef(
                pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(),
                pod.getMetadata().getUid());
    }

    private void pause() throws InterruptedException {
        Thread.sleep(Math.max(MIN_POLL_MILLIS, readiness.interval().toMillis()));
    }

    private long seconds() {
        return readiness.timeout().toSeconds();
    }
}
