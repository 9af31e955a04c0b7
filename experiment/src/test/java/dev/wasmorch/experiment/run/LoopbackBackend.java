package dev.wasmorch.experiment.run;

import com.sun.net.httpserver.HttpServer;
import dev.wasmorch.experiment.backend.Backend;
import dev.wasmorch.experiment.backend.BackendException;
import dev.wasmorch.experiment.backend.DeployException;
import dev.wasmorch.experiment.model.Deployment;
import dev.wasmorch.experiment.model.Endpoint;
import dev.wasmorch.experiment.model.FunctionSpec;
import dev.wasmorch.experiment.model.ImageSize;
import dev.wasmorch.experiment.model.PodRef;
import dev.wasmorch.experiment.model.PodSpec;
import dev.wasmorch.experiment.model.PodTimings;
import dev.wasmorch.experiment.model.Runtime;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;

/**
 * A backend for the runner's own tests: each "pod" is a real HTTP server on 127.0.0.1 (the JDK's),
 * so the real hey measures it; no containers. It stands in for the local and kubernetes backends,
 * which have their own tests on a real containerd and the fabric8 mock, so that the runner's logic
 * (attempts, failures, interleaving, Ctrl-C) is tested fast and deterministically. Deploys whose spec
 * matches {@link #failing} fail; a deploy matching {@link #answering500} answers 500.
 */
final class LoopbackBackend implements Backend {

    final Map<PodRef, HttpServer> live = new ConcurrentHashMap<>();
    final Set<PodRef> made = ConcurrentHashMap.newKeySet();
    final CountDownLatch firstDeploy = new CountDownLatch(1);
    Predicate<PodSpec> failing = s -> false;
    Predicate<PodSpec> answering500 = s -> false;
    volatile boolean closed;
    /** When set, a deploy holds its registered pod until released, and removeAll cannot remove it. */
    volatile CountDownLatch hold;

    final CountDownLatch held = new CountDownLatch(1);
    volatile PodRef heldPod;
    /** What removeAll reports left besides a held pod (e.g. a sweep by label that timed out). */
    final Map<PodRef, String> alsoLeft = new ConcurrentHashMap<>();

    volatile boolean collected;

    @Override
    public String name() {
        return "loopback";
    }

    @Override
    public void prepare(Setup setup) {
        setup.progress().line("loopback backend ready");
    }

    @Override
    public Deployment deploy(PodSpec spec) throws DeployException {
        PodRef pod = new PodRef("wasmorch-lab", spec.name(), UUID.randomUUID().toString());
        long t = PodTimings.now();
        if (closed) {
            throw new DeployException("backend closed", null, PodTimings.NONE, null);
        }
        made.add(pod);
        if (hold != null) {
            heldPod = pod;
            held.countDown();
            try {
                hold.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new DeployException("backend closed while deploying", pod, PodTimings.NONE, null);
        }
        if (failing.test(spec)) {
            throw new DeployException(
                    "container exited with 1 before ready",
                    pod,
                    PodTimings.NONE.withCreated(t).withSandboxReady(t + 5),
                    null);
        }
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            int status = answering500.test(spec) ? 500 : 200;
            server.createContext("/", exchange -> {
                byte[] body = ("{\"function\":\"" + spec.function().name() + "\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(status, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            live.put(pod, server);
            firstDeploy.countDown();
            return new Deployment(
                    pod,
                    spec,
                    new PodTimings(t, t + 100, t + 200, t + 300, t + 400),
                    new Endpoint("127.0.0.1", server.getAddress().getPort()));
        } catch (IOException e) {
            throw new DeployException(e.getMessage(), pod, PodTimings.NONE.withCreated(t), e);
        }
    }

    @Override
    public void remove(PodRef pod) throws BackendException {
        HttpServer server = live.remove(pod);
        if (server != null) {
            server.stop(0);
        }
    }

    @Override
    public Map<PodRef, String> removeAll() {
        closed = true;
        for (PodRef pod : List.copyOf(live.keySet())) {
            try {
                remove(pod);
            } catch (BackendException e) {
                throw new AssertionError(e);
            }
        }
        Map<PodRef, String> left = new LinkedHashMap<>(alsoLeft);
        if (heldPod != null) {
            left.put(heldPod, "StopPodSandbox: DEADLINE_EXCEEDED (the deploy holds it)");
        }
        return left;
    }

    @Override
    public List<ImageSize> imageSizes(FunctionSpec function) throws BackendException {
        if (function.name().equals("whatlang")) {
            throw new BackendException("image docker.io/wasmorch/whatlang:native not imported");
        }
        return List.of(
                new ImageSize(function.name(), Runtime.WASM, "wasm:" + function.name(), 1000),
                new ImageSize(function.name(), Runtime.CONTAINER, "native:" + function.name(), 100000));
    }

    @Override
    public Map<String, String> facts() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("backend", "loopback");
        return m;
    }

    @Override
    public void collect(Path dir) {
        collected = true;
    }

    @Override
    public void close() {
        removeAll();
    }
}
