package dev.wasmorch.shim.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.wasmorch.contract.pod.PodLabels;
import dev.wasmorch.shim.task.NetworkNamespace;
import dev.wasmorch.shim.task.WorkloadException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An app in a pod's own network namespace (network mode pod) without CRI: the namespace is one
 * {@code unshare --net} holds, loopback up, as CNI would leave a pod's. The app listens there on
 * its declared port, and not on the node. Needs root (unshare, setns); skips visibly otherwise.
 */
class PodNetworkAppTest {

    @TempDir
    Path dir;

    private Process holder;
    private NetworkNamespace netns;
    private AppHarness harness;

    @BeforeEach
    void podNamespace() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "entering a network namespace needs root");
        holder = new ProcessBuilder("unshare", "--net", "sh", "-c", "ip link set lo up && exec sleep 120").start();
        Path ns = Path.of("/proc/" + holder.pid() + "/ns/net");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        // unshare switches right after it starts; sleep runs once loopback is up
        while (Files.isSameFile(ns, Path.of("/proc/self/ns/net"))
                || !new String(Files.readAllBytes(Path.of("/proc/" + holder.pid() + "/cmdline"))).startsWith("sleep")) {
            assertThat(System.nanoTime())
                    .as("the pod namespace's holder started")
                    .isLessThan(deadline);
            Thread.sleep(10);
        }
        netns = new NetworkNamespace(ns.toString());
        harness = new AppHarness(16 << 20, Duration.ofSeconds(10));
        TestApps.app(dir, "/...=counter");
    }

    @AfterEach
    void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
        if (holder != null) {
            holder.destroy();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theAppListensOnItsDeclaredPortInsideThePodsNamespaceOnly() throws Exception {
        int port = freeNodePort();
        try (RunningApp app = harness.start(
                "c-pod", dir, Map.of(PodLabels.LISTEN_PORT_ENV, Integer.toString(port)), Optional.of(netns))) {
            assertThat(app.port()).isEqualTo(port);
            assertThat(netns.call(() -> get(port))).startsWith("HTTP/1.1 200").endsWith("count=1\n");
            try (Socket s = new Socket()) {
                assertThatThrownBy(() -> s.connect(new InetSocketAddress("127.0.0.1", port), 5000))
                        .as("the node's loopback on the pod's port")
                        .isInstanceOf(ConnectException.class);
            }
            assertThat(harness.stdout.toString(StandardCharsets.UTF_8)).contains("listening on 127.0.0.1:" + port);
        }
    }

    @Test
    void withoutADeclaredPortTheAppListensOn8080() throws Exception {
        try (RunningApp app = harness.start("c-default", dir, Map.of(), Optional.of(netns))) {
            assertThat(app.port()).isEqualTo(PodLabels.DEFAULT_LISTEN_PORT);
            assertThat(netns.call(() -> get(PodLabels.DEFAULT_LISTEN_PORT))).endsWith("count=1\n");
        }
    }

    /**
     * The pod's loopback and the node's each have a server on the same port, answering differently:
     * the app's outbound request reaches the pod's, so its sockets are made in the pod's namespace
     * (and not by the daemon's shared client, which an app on the node's network used first).
     */
    @Test
    void outboundRequestsLeaveFromThePodsNamespace() throws Exception {
        Path app = Files.createDirectories(dir.resolve("out"));
        TestApps.app(app, "/out=outbound");
        Files.writeString(
                app.resolve("spin.toml"),
                Files.readString(app.resolve("spin.toml")) + "allowed_outbound_hosts = [\"http://127.0.0.1\"]\n");
        HttpServer onNode = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        int port = onNode.getAddress().getPort();
        onNode.createContext("/", ex -> answer(ex, 202, "on the node"));
        onNode.start();
        HttpServer inPod = netns.call(() -> HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0));
        inPod.createContext("/", ex -> answer(ex, 201, "in the pod"));
        inPod.start();
        String url = "http://127.0.0.1:" + port + "/hello";
        try (RunningApp onTheNode = harness.start("c-out-node", app)) {
            assertThat(harness.get(onTheNode, "/out?" + url).body()).contains("req=0 status=202\n", "on the node");
        }
        try (RunningApp running = harness.start("c-out", app, Map.of(), Optional.of(netns))) {
            String first = netns.call(() -> get(running.port(), "/out?" + url));
            String second = netns.call(() -> get(running.port(), "/out?" + url));
            for (String answer : new String[] {first, second}) {
                assertThat(answer)
                        .contains("req=0 status=201\n")
                        .contains("in the pod")
                        .doesNotContain("on the node");
            }
        } finally {
            inPod.stop(0);
            onNode.stop(0);
        }
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Test
    void aPortThatIsNoTcpPortIsRefusedNamingTheVariable() {
        for (String bad : new String[] {"0", "65536", "http"}) {
            assertThatThrownBy(() ->
                            harness.start("c-bad", dir, Map.of(PodLabels.LISTEN_PORT_ENV, bad), Optional.of(netns)))
                    .isInstanceOf(WorkloadException.class)
                    .hasMessageContaining("environment variable WASMORCH_LISTEN_PORT=\"" + bad + "\" is not a TCP port")
                    .satisfies(e -> assertThat(((WorkloadException) e).reason()).isEqualTo("invalid_setting"));
        }
    }

    @Test
    void aNamespaceThatCannotBeEnteredFailsTheStartAndNothingListens() {
        NetworkNamespace gone =
                new NetworkNamespace(dir.resolve("no-such-netns").toString());
        assertThatThrownBy(() -> harness.start("c-gone", dir, Map.of(), Optional.of(gone)))
                .isInstanceOf(WorkloadException.class)
                .hasMessageContaining("cannot listen on port 8080 in the pod's network namespace")
                .hasMessageContaining("cannot enter the network namespace")
                .hasMessageContaining("No such file or directory")
                .satisfies(e -> assertThat(((WorkloadException) e).reason()).isEqualTo("listen_failed"));
    }

    private static int freeNodePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A GET on the loopback of the calling thread's namespace. */
    private static String get(int port) throws IOException {
        return get(port, "/");
    }

    private static String get(int port, String target) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: pod\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
