package dev.wasmorch.shim.daemon;

import dev.wasmorch.shim.proto.events.ForwardRequest;
import dev.wasmorch.shim.proto.types.Envelope;
import dev.wasmorch.shim.task.EventPublisher;
import dev.wasmorch.shim.task.Protos;
import dev.wasmorch.shim.task.TaskEvent;
import dev.wasmorch.shim.task.TaskService;
import dev.wasmorch.shim.ttrpc.TtrpcClient;
import dev.wasmorch.shim.ttrpc.TtrpcException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Publishes task events to containerd the way containerd 1.6's own shims do: a TTRPC call
 * {@code containerd.services.events.ttrpc.v1.Events/Forward} on {@code $TTRPC_ADDRESS}. One
 * sender thread keeps the events in order (containerd's CRI expects exit after start) and keeps
 * the RPC that caused an event from waiting on containerd.
 */
final class ForwardingEventPublisher implements EventPublisher, AutoCloseable {

    static final String SERVICE = "containerd.services.events.ttrpc.v1.Events";
    private static final Logger LOG = Logger.getLogger(ForwardingEventPublisher.class.getName());
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String address;
    private final Clock clock;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "event-forwarder");
        t.setDaemon(true);
        return t;
    });
    private TtrpcClient client;

    ForwardingEventPublisher(String address, Clock clock) {
        this.address = address;
        this.clock = clock;
    }

    @Override
    public void publish(String namespace, TaskEvent event) {
        ForwardRequest request = forwardRequest(clock.instant(), namespace, event);
        sender.execute(() -> send(request));
    }

    /** The event in an envelope stamped with when and where it happened, as containerd's own shims send it. */
    static ForwardRequest forwardRequest(Instant at, String namespace, TaskEvent event) {
        Envelope envelope = Envelope.newBuilder()
                .setTimestamp(Protos.timestamp(at))
                .setNamespace(namespace)
                .setTopic(event.topic())
                .setEvent(Protos.any(event.event()))
                .build();
        return ForwardRequest.newBuilder().setEnvelope(envelope).build();
    }

    /** Sends one event; a broken connection (containerd restarted) is re-opened once. */
    private void send(ForwardRequest request) {
        IOException last = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                if (client == null || !client.isOpen()) {
                    client = TtrpcClient.connect(address);
                }
                client.call(
                        SERVICE,
                        "Forward",
                        request.toByteArray(),
                        Map.of(TaskService.NAMESPACE_KEY, request.getEnvelope().getNamespace()),
                        TIMEOUT);
                return;
            } catch (IOException e) {
                last = e;
                closeClient();
            } catch (TtrpcException e) {
                LOG.warning("containerd refused event " + request.getEnvelope().getTopic() + ": " + e);
                return;
            }
        }
        LOG.log(Level.WARNING, "event " + request.getEnvelope().getTopic() + " could not be sent to " + address, last);
    }

    private void closeClient() {
        if (client != null) {
            try {
                client.close();
            } catch (IOException ignored) {
                // the connection is already broken
            }
            client = null;
        }
    }

    /** Sends what is queued (a few seconds at most: the daemon is stopping) and disconnects. */
    @Override
    public void close() {
        sender.execute(this::closeClient);
        sender.shutdown();
        try {
            sender.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
