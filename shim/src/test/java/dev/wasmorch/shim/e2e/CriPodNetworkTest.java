package dev.wasmorch.shim.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmorch.contract.cri.ContainerState;
import dev.wasmorch.contract.cri.ContainerStatus;
import dev.wasmorch.contract.pod.PodLabels;
import dev.wasmorch.shim.app.TestApps;
import dev.wasmorch.shim.e2e.CriClient.Pod;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.JedisPooled;

/**
 * WASM pods on the pod network through containerd's CRI plugin, as the kubelet drives them: CNI
 * (the private node's bridge) gives the pod its IP and namespace, the app listens there on the
 * port the pod declares, and not on the node. The pod keeps answering through a restart of its
 * container in the same sandbox and a restart of containerd, and its teardown leaves nothing.
 */
class CriPodNetworkTest {

    private static final String REDIS_URL = "redis://127.0.0.1:6379/4";

    @RegisterExtension
    static final PrivateContainerd CONTAINERD = new PrivateContainerd()
            .withEnv("WASMORCH_REDIS_URL", REDIS_URL)
            .withEnv("WASMORCH_HOST_IP", "127.0.0.1")
            .withEnv("WASMORCH_NODE_NAME", "node-podnet");

    private static final String IMAGE = "docker.io/wasmorch/counter:podnet";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JedisPooled redis;

    @BeforeAll
    static void image() throws Exception {
        redis = new JedisPooled(URI.create(REDIS_URL));
        Path app = TestApps.app(Files.createDirectories(CONTAINERD.dir().resolve("apps/counter")), "/...=counter");
        AppImages.importImage(CONTAINERD, "k8s.io", app, IMAGE);
    }

    @AfterAll
    static void closeRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void podNetworkPodsAnswerOnTheirPodIpAndPortAndNotOnTheNode() throws Exception {
        CriClient cri = new CriClient(CONTAINERD.node());
        int port = freeNodePort();
        Pod web = pod("web-6b7f9c8d5-a1b2c");
        Pod plain = pod("plain-7c8d9e0f1-d3e4f");

        String webSandbox = cri.runPodSandbox(web, PrivateContainerd.CRI_HANDLER);
        String webIp = cri.podIp(webSandbox);
        assertThat(webIp).startsWith(CONTAINERD.node().network().gateway().replaceFirst("1$", ""));
        String web0 = cri.createContainer(
                webSandbox, web, "web", 0, IMAGE, Map.of(PodLabels.LISTEN_PORT_ENV, Integer.toString(port)));
        cri.startContainer(web0);
        assertThat(get(webIp, port)).isEqualTo("count=1\n");
        // the node's own addresses have nobody on that port: the listener is in the pod's namespace
        assertRefused("127.0.0.1", port);
        assertRefused(CONTAINERD.node().network().gateway(), port);
        JsonNode registration =
                JSON.readTree(await(() -> redis.get("wasmorch:port:pod:shop/" + web.name() + "/web"), "registration"));
        assertThat(registration.path("hostIp").asText()).isEqualTo(webIp);
        assertThat(registration.path("port").asInt()).isEqualTo(port);

        // a pod that declares no port gets the default, at its own address
        String plainSandbox = cri.runPodSandbox(plain, PrivateContainerd.CRI_HANDLER);
        String plainIp = cri.podIp(plainSandbox);
        assertThat(plainIp).isNotEqualTo(webIp);
        String plain0 = cri.createContainer(plainSandbox, plain, "plain", 0, IMAGE, Map.of());
        cri.startContainer(plain0);
        assertThat(get(plainIp, PodLabels.DEFAULT_LISTEN_PORT)).isEqualTo("count=1\n");

        // the kubelet restarts a container in its sandbox: a new attempt, the same address and port
        cri.stopContainer(web0, 5);
        ContainerStatus stopped = cri.containerStatus(web0);
        assertThat(stopped.getExitCode()).isZero();
        assertThat(stopped.getReason()).isEqualTo("Completed");
        assertRefused(webIp, port);
        cri.removeContainer(web0);
        String web1 = cri.createContainer(
                webSandbox, web, "web", 1, IMAGE, Map.of(PodLabels.LISTEN_PORT_ENV, Integer.toString(port)));
        cri.startContainer(web1);
        assertThat(get(webIp, port)).isEqualTo("count=1\n");

        // containerd restarts under the live pods: they keep their state and keep answering
        CONTAINERD.node().restart();
        assertThat(cri.sandboxReady(webSandbox)).isTrue();
        assertThat(cri.containerStatus(web1).getState()).isEqualTo(ContainerState.CONTAINER_RUNNING);
        assertThat(get(webIp, port)).isEqualTo("count=1\n");
        assertThat(get(plainIp, PodLabels.DEFAULT_LISTEN_PORT)).isEqualTo("count=1\n");

        for (String[] p : new String[][] {{webSandbox, web1}, {plainSandbox, plain0}}) {
            cri.stopContainer(p[1], 5);
            cri.removeContainer(p[1]);
            cri.stopPodSandbox(p[0]);
            cri.removePodSandbox(p[0]);
        }
        assertThat(CONTAINERD.ctrIn("k8s.io", "task", "ls", "-q").ok().output()).isBlank();
        assertThat(CONTAINERD.ctrIn("k8s.io", "container", "ls", "-q").ok().output())
                .isBlank();
        assertThat(CONTAINERD.log().lines().filter(l -> l.contains("level=error")))
                .as("errors in the containerd log of pod-network WASM pods' life cycles")
                .isEmpty();
    }

    private static Pod pod(String name) throws IOException {
        return new Pod(
                "shop",
                name,
                "uid-" + name,
                Files.createDirectories(CONTAINERD.dir().resolve("pods/shop_" + name)),
                false);
    }

    /** A port nobody on the node listens on now, so a pod's listener there cannot be mistaken for one. */
    private static int freeNodePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String get(String ip, int port) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://" + ip + ":" + port + "/"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private static void assertRefused(String ip, int port) throws IOException {
        try (Socket s = new Socket()) {
            assertThatThrownBy(() -> s.connect(new InetSocketAddress(ip, port), 5000))
                    .as("a connection to " + ip + ":" + port)
                    .isInstanceOf(ConnectException.class);
        }
    }

    private static <T> T await(java.util.concurrent.Callable<T> value, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        T v;
        while ((v = value.call()) == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what + "\nshim log:\n" + CONTAINERD.shimLog());
            }
            Thread.sleep(50);
        }
        return v;
    }
}
