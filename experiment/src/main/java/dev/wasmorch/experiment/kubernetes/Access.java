package dev.wasmorch.experiment.kubernetes;

import dev.wasmorch.contract.wasmapp.WasmAppApi;
import dev.wasmorch.experiment.model.Endpoint;
import dev.wasmorch.experiment.model.PodSpec;
import dev.wasmorch.experiment.model.Runtime;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Where the runner reaches a ready pod: the Service's ClusterIP (a runner inside the cluster) or a
 * port-forward to the pod on 127.0.0.1 (outside). A port-forward carries every connection through the
 * API server and the kubelet, which adds to every response time: measure from inside the cluster.
 */
final class Access {

    /** Port-forwards listen here only: the load never leaves the machine on the runner's side. */
    private static final String LOOPBACK = "127.0.0.1";

    private final KubernetesClient client;
    private final KubernetesConfig config;

    Access(KubernetesClient client, KubernetesConfig config) {
        this.client = client;
        this.config = config;
    }

    /** An endpoint, and the port-forward behind it to close with the pod (or {@code null}). */
    record Opened(Endpoint endpoint, LocalPortForward forward) {}

    /**
     * Opens the way to the pod.
     *
     * @return {@code null} while it is not there yet (a Service without ClusterIP, a host-mode app
     *     whose port the operator has not published)
     */
    Opened open(PodSpec spec, Pod pod) throws IOException {
        if (config.access() == KubernetesConfig.Access.SERVICE) {
            Service s = client.services()
                    .inNamespace(config.namespace())
                    .withName(Manifests.objectName(spec))
                    .get();
            if (s == null || s.getSpec() == null || s.getSpec().getPorts() == null) {
                return null;
            }
            String ip = s.getSpec().getClusterIP();
            if (ip == null
                    || ip.isEmpty()
                    || ip.equals("None")
                    || s.getSpec().getPorts().isEmpty()) {
                return null;
            }
            Integer port = s.getSpec().getPorts().get(0).getPort();
            if (port == null) {
                return null;
            }
            return new Opened(new Endpoint(ip, port), null);
        }
        Integer target = podPort(spec, pod);
        if (target == null) {
            return null;
        }
        LocalPortForward f = client.pods()
                .inNamespace(config.namespace())
                .withName(pod.getMetadata().getName())
                .portForward(target, InetAddress.getByName(LOOPBACK), 0);
        return new Opened(new Endpoint(LOOPBACK, f.getLocalPort()), f);
    }

    /** The port the pod serves on: fixed, except a host-mode app's, which the shim chose. */
    private Integer podPort(PodSpec spec, Pod pod) throws IOException {
        if (spec.runtime() == Runtime.CONTAINER) {
            return config.containerPort();
        }
        if (config.networkMode().equals("pod")) {
            return config.wasmPort();
        }
        GenericKubernetesResource app = client.genericKubernetesResources(Manifests.WASM_APPS)
                .inNamespace(config.namespace())
                .withName(Manifests.objectName(spec))
                .get();
        Object status = app == null ? null : app.getAdditionalProperties().get("status");
        Object endpoints = status instanceof java.util.Map<?, ?> m ? m.get(WasmAppApi.ENDPOINTS) : null;
        String hostIp = pod.getStatus() == null ? null : pod.getStatus().getHostIP();
        if (!(endpoints instanceof List<?> list) || hostIp == null) {
            return null;
        }
        for (Object e : list) {
            // host:port as the operator published it; an entry that is not ours to read is an error
            String text = String.valueOf(e);
            int colon = text.lastIndexOf(':');
            if (colon > 0 && text.substring(0, colon).equals(hostIp)) {
                try {
                    int port = Integer.parseInt(text.substring(colon + 1));
                    if (port >= 1 && port <= 65535) {
                        return port;
                    }
                } catch (NumberFormatException ignored) {
                    // falls through to the error below
                }
                throw new IOException("WasmApp " + config.namespace() + "/" + Manifests.objectName(spec)
                        + ": status.endpoints entry '" + Untrusted.printable(text) + "' is not host:port");
            }
        }
        return null;
    }

    /**
     * Whether the endpoint answers HTTP: one {@code GET} of the function's path with {@code
     * Connection: close}, any status line counting (the function's own request is the runner's first
     * invocation).
     */
    static boolean answers(Endpoint e, String path, int timeoutMillis) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(e.host(), e.port()), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + e.host() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(5);
            return new String(head, StandardCharsets.US_ASCII).equals("HTTP/");
        } catch (IOException ex) {
            return false;
        }
    }
}
