package dev.wasmorch.shim.ttrpc;

import dev.wasmorch.shim.proto.ttrpc.Response;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A TTRPC client on a Unix socket: client-initiated streams use odd IDs (1, 3, 5, ...) as in
 * github.com/containerd/ttrpc; a reader thread matches responses to calls by stream ID, so calls
 * from several threads share one connection.
 */
public final class TtrpcClient implements AutoCloseable {

    private final SocketChannel channel;
    private final Map<Integer, CompletableFuture<Response>> pending = new ConcurrentHashMap<>();
    private final Object writeLock = new Object();
    private int nextStream = 1;
    private volatile IOException closedBy;

    private TtrpcClient(SocketChannel channel) {
        this.channel = channel;
        TtrpcServer.daemonThreads("ttrpc-client").newThread(this::readLoop).start();
    }

    /** Connects to a socket path or a {@code unix://} address as containerd prints them. */
    public static TtrpcClient connect(String address) throws IOException {
        String path = address.startsWith("unix://") ? address.substring("unix://".length()) : address;
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(Path.of(path)));
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot connect to TTRPC socket " + path + ": " + e.getMessage(), e);
        }
        return new TtrpcClient(ch);
    }

    /** Calls a method and returns the encoded response message, or throws the status it failed with. */
    public byte[] call(String service, String method, byte[] payload, Map<String, String> metadata, Duration timeout)
            throws IOException, TtrpcException {
        CompletableFuture<Response> reply = new CompletableFuture<>();
        byte[] request = TtrpcMessages.request(service, method, payload, timeout.toNanos(), metadata)
                .toByteArray();
        int stream;
        synchronized (writeLock) {
            if (closedBy != null) {
                throw new IOException(service + "/" + method + ": " + closedBy.getMessage(), closedBy);
            }
            stream = nextStream;
            nextStream += 2;
            pending.put(stream, reply);
            new Frame(stream, Frame.TYPE_REQUEST, (byte) 0, request).write(channel);
        }
        try {
            Response response = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            RpcCode code = RpcCode.of(response.getStatus().getCode());
            if (code != RpcCode.OK) {
                throw new TtrpcException(code, response.getStatus().getMessage());
            }
            return response.getPayload().toByteArray();
        } catch (TimeoutException e) {
            throw new TtrpcException(RpcCode.DEADLINE_EXCEEDED, service + "/" + method + " timed out after " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TtrpcException(RpcCode.CANCELLED, service + "/" + method + " interrupted");
        } catch (ExecutionException e) {
            throw new IOException(service + "/" + method + ": " + e.getCause().getMessage(), e.getCause());
        } finally {
            pending.remove(stream);
        }
    }

    private void readLoop() {
        IOException failure = new IOException("TTRPC connection closed");
        try {
            Frame frame;
            while ((frame = Frame.read(channel)) != null) {
                CompletableFuture<Response> reply = pending.get(frame.streamId());
                if (frame.type() == Frame.TYPE_RESPONSE && reply != null) {
                    reply.complete(Response.parseFrom(frame.payload()));
                }
            }
        } catch (IOException e) {
            failure = e;
        }
        synchronized (writeLock) { // no call can register between these two steps
            closedBy = failure;
            for (CompletableFuture<Response> reply : pending.values()) {
                reply.completeExceptionally(failure);
            }
        }
    }

    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
