package dev.wasmorch.shim.app;

import dev.wasmorch.shim.task.NetworkNamespace;
import java.net.http.HttpClient;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP client of an app's outbound requests. A socket belongs to the network namespace of the
 * thread that creates it, and JDK's HttpClient opens its connections on its executor's threads: an
 * app on the node's network shares the node's one client, while an app in its pod's own namespace
 * gets a client of its own whose executor threads enter that namespace first, so its requests leave
 * from the pod's address, under the pod's NetworkPolicy, and no pooled connection is shared with
 * another pod. Built on the first outbound request (most apps make none), released with the app.
 *
 * <p>No proxy (the grant names the host actually connected to) and no redirects: following one would
 * take the module to a host its grant may not name; it sees the 3xx and its Location header and may
 * ask for that URL itself, which passes the grant again.
 */
final class OutboundClient implements AutoCloseable {

    /** The node's network: one client for every such app, as before pods had namespaces of their own. */
    static final OutboundClient NODE = new OutboundClient(Optional.empty(), "node");

    private static final class Node {
        static final HttpClient INSTANCE = builder().build();
    }

    private final Optional<NetworkNamespace> netns;
    private final String owner;
    private ExecutorService executor;
    private HttpClient client;

    private OutboundClient(Optional<NetworkNamespace> netns, String owner) {
        this.netns = netns;
        this.owner = owner;
    }

    /** The client for an app on {@code podNetwork} (empty: the node's network). */
    static OutboundClient of(Optional<NetworkNamespace> podNetwork, String owner) {
        return podNetwork.isPresent() ? new OutboundClient(podNetwork, owner) : NODE;
    }

    synchronized HttpClient http() {
        if (netns.isEmpty()) {
            return Node.INSTANCE;
        }
        if (client == null) {
            executor =
                    Executors.newCachedThreadPool(netns.get().threads(AppRunner.daemon("wasmorch-outbound-" + owner)));
            client = builder().executor(executor).build();
        }
        return client;
    }

    /** Stops the pod's executor threads (a request still running fails); the node's client stays. */
    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private static HttpClient.Builder builder() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY);
    }
}
