package dev.wasmorch.shim.ttrpc;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.wasmorch.shim.proto.ttrpc.Request;
import dev.wasmorch.shim.proto.ttrpc.Response;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * A TTRPC server on a Unix socket. One reader thread per connection; every request runs on a worker
 * thread of its own because some calls (Wait) block until a task exits while the same connection
 * keeps carrying other calls. Replies are written under the connection's write lock.
 */
public final class TtrpcServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TtrpcServer.class.getName());

    private final Path socket;
    private final Map<String, TtrpcService> services;
    private final ExecutorService workers = Executors.newCachedThreadPool(daemonThreads("ttrpc-call"));
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
    private ServerSocketChannel server;

    public TtrpcServer(Path socket, Iterable<? extends TtrpcService> services) {
        this.socket = socket;
        Map<String, TtrpcService> byName = new ConcurrentHashMap<>();
        services.forEach(s -> byName.put(s.name(), s));
        this.services = byName;
    }

    /** Binds the socket (owner-only permissions: containerd runs as root) and starts accepting. */
    public void start() throws IOException {
        Files.deleteIfExists(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        Thread acceptor = daemonThreads("ttrpc-accept").newThread(this::acceptLoop);
        acceptor.start();
    }

    public Path socket() {
        return socket;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel conn = server.accept();
                connections.add(conn);
                daemonThreads("ttrpc-conn").newThread(() -> serve(conn)).start();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.log(Level.WARNING, "accepting a TTRPC connection failed", e);
            }
        }
    }

    private void serve(SocketChannel conn) {
        Object writeLock = new Object();
        try (conn) {
            Frame frame;
            while ((frame = Frame.read(conn)) != null) {
                if (frame.type() != Frame.TYPE_REQUEST) {
                    continue; // ttrpc servers ignore anything but requests
                }
                Frame request = frame;
                workers.execute(() -> reply(conn, writeLock, request));
            }
        } catch (IOException e) {
            if (conn.isOpen()) {
                LOG.log(Level.FINE, "TTRPC connection ended", e);
            }
        } finally {
            connections.remove(conn);
        }
    }

    private void reply(SocketChannel conn, Object writeLock, Frame frame) {
        Response response = dispatch(frame.payload());
        Frame out = new Frame(frame.streamId(), Frame.TYPE_RESPONSE, (byte) 0, response.toByteArray());
        synchronized (writeLock) {
            try {
                out.write(conn);
            } catch (IOException e) {
                LOG.log(Level.FINE, "TTRPC reply could not be written: the client went away", e);
            }
        }
    }

    private Response dispatch(byte[] payload) {
        Request request;
        try {
            request = Request.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            return TtrpcMessages.error(RpcCode.INVALID_ARGUMENT, "malformed TTRPC request: " + e.getMessage());
        }
        TtrpcService service = services.get(request.getService());
        if (service == null) {
            return TtrpcMessages.error(
                    RpcCode.UNIMPLEMENTED, "service " + request.getService() + " is not served here");
        }
        try {
            return TtrpcMessages.ok(service.call(
                    request.getMethod(), request.getPayload().toByteArray(), TtrpcMessages.metadata(request)));
        } catch (TtrpcException e) {
            return TtrpcMessages.error(e.code(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, request.getService() + "/" + request.getMethod() + " failed", e);
            return TtrpcMessages.error(RpcCode.INTERNAL, request.getMethod() + ": " + e);
        }
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            server.close();
        }
        for (SocketChannel c : connections) {
            c.close();
        }
        workers.shutdownNow();
        Files.deleteIfExists(socket);
    }

    /** Names of the services served, for the daemon's start-up line. */
    public String serviceNames() {
        return services.keySet().stream().sorted().collect(Collectors.joining(", "));
    }

    static ThreadFactory daemonThreads(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
