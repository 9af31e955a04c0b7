package dev.wasmorch.shim.task;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One of a task's output streams (stdout/stderr). containerd passes a FIFO path (or a
 * {@code file://} URI from {@code --log-uri}). The FIFO is opened read-write so the open does not
 * block when nobody reads yet; because the shim then holds a reader end itself, a write would block
 * for good once the pipe is full and the real reader is gone (ctr run -d exits). So writes go
 * through a bounded queue to a writer thread and are dropped, and counted, when it is full: an app
 * must never stall on its log.
 */
final class StdioSink extends OutputStream {

    private static final Logger LOG = Logger.getLogger(StdioSink.class.getName());
    private static final int QUEUE_CHUNKS = 256;
    private static final byte[] END = new byte[0];

    private final String name;
    private final FileChannel file;
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE_CHUNKS);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;

    private StdioSink(String name, FileChannel file) {
        this.name = name;
        this.file = file;
        this.writer = new Thread(this::drain, "stdio " + name);
        writer.setDaemon(true);
        writer.start();
    }

    /** Opens {@code target}; an empty target means the task's output is not wanted ({@code null}). */
    static StdioSink open(String target) throws BundleException {
        if (target == null || target.isEmpty()) {
            return null;
        }
        Path path;
        boolean logFile = target.startsWith("file://");
        if (logFile) {
            path = Path.of(URI.create(target));
        } else if (target.contains("://")) {
            throw new BundleException("stdio " + target + ": only FIFOs and file:// URIs are supported"
                    + " (binary:// log drivers are not)");
        } else {
            path = Path.of(target);
        }
        try {
            FileChannel f = logFile
                    ? FileChannel.open(
                            path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)
                    : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            return new StdioSink(target, f);
        } catch (IOException e) {
            throw new BundleException("stdio " + target + ": cannot be opened: " + e.getMessage());
        }
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        if (closed || len == 0) {
            return;
        }
        if (!queue.offer(Arrays.copyOfRange(b, off, off + len))) {
            dropped.addAndGet(len);
        }
    }

    long droppedBytes() {
        return dropped.get();
    }

    private void drain() {
        try {
            for (byte[] chunk = queue.take(); chunk != END; chunk = queue.take()) {
                ByteBuffer buf = ByteBuffer.wrap(chunk);
                while (buf.hasRemaining()) {
                    file.write(buf);
                }
            }
        } catch (ClosedByInterruptException e) {
            // close() gave up on a pipe nobody reads: what is left is dropped, as announced
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "stdio " + name + ": write failed, further output is discarded", e);
            closed = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                file.close();
            } catch (IOException ignored) {
                // nothing left to flush: the channel does not buffer
            }
        }
    }

    /**
     * Writes what is queued and closes. A writer stuck on a full pipe nobody reads is interrupted
     * after a short grace (FileChannel writes are interruptible), so the descriptor is released.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (queue.offer(END)) {
            try {
                writer.join(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (writer.isAlive()) {
            writer.interrupt();
        }
        if (dropped.get() > 0) {
            LOG.warning("stdio " + name + ": " + dropped.get() + " bytes dropped because nobody read them");
        }
    }
}
