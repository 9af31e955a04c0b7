package dev.wasmorch.experiment.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Forwards TCP from an address on the node's own bridge to a backing service on 127.0.0.1. The
 * services listen on loopback only (functions/baas), which a container in its own network namespace
 * cannot reach; the WASM pods share the node's network and use 127.0.0.1 directly. Bounded: at most
 * {@value #MAX_CONNECTIONS} connections at once (more wait for a free one), each side with a read
 * timeout, so a stuck function cannot hold a thread for ever.
 */
final class Relay implements AutoCloseable {

    static final int MAX_CONNECTIONS = 64;
    private static final int IDLE_MILLIS = 60_000;

    private final ServerSocket server;
    private final int targetPort;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "relay");
        t.setDaemon(true);
        return t;
    });
    private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);

    /** Listens on {@code bindAddress} (a free port) and forwards to {@code 127.0.0.1:targetPort}. */
    Relay(String bindAddress, int targetPort) throws IOException {
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), 0));
        this.targetPort = targetPort;
        pool.execute(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                slots.acquire();
                pool.execute(() -> {
                    try (client;
                            Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort)) {
                        client.setSoTimeout(IDLE_MILLIS);
                        target.setSoTimeout(IDLE_MILLIS);
                        var back = pool.submit(() -> pump(target.getInputStream(), client.getOutputStream(), client));
                        pump(client.getInputStream(), target.getOutputStream(), target);
                        back.get(IDLE_MILLIS, TimeUnit.MILLISECONDS);
                    } catch (Exception e) {
                        // one connection failed (reset, timeout): the function sees its error
                    } finally {
                        slots.release();
                    }
                });
            } catch (IOException e) {
                return; // closed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Copies until end of stream, then half-closes the other side's output. */
    private static Void pump(InputStream in, OutputStream out, Socket to) throws IOException {
        in.transferTo(out);
        out.flush();
        if (!to.isClosed()) {
            to.shutdownOutput();
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        pool.shutdownNow();
    }
}
