package dev.wasmorch.pipeline.sink.postgres;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Properties;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers rows and upserts them from a thread of its own, so the task thread (often the join,
 * chained to this sink) never waits on PostgreSQL while the buffer has room.
 *
 * <ul>
 *   <li>Rows with the same key are merged in the buffer (the last wins, as consecutive upserts
 *       would), so every statement touches a key at most once; this lets the driver rewrite a
 *       batch into multi-row {@code INSERT}s ({@code reWriteBatchedInserts}).
 *   <li>A write starts when {@code batchSize} rows wait or the oldest waited {@code batchInterval};
 *       while one is in flight the next batch accumulates, up to {@code maxPending} rows, beyond
 *       which {@link #write} blocks (backpressure).
 *   <li>A failed write is retried with the same rows on a new connection, pausing
 *       {@code firstBackoff} doubling up to {@code maxBackoff}, for up to {@code retryFor}: a
 *       PostgreSQL restart or outage stalls the job instead of failing it. Errors that a retry
 *       cannot fix (bad SQL, constraint violations) and outages longer than {@code retryFor} fail
 *       the task; Flink then restarts from the last checkpoint.
 *   <li>{@link #flush} (before every checkpoint and at the end of input) returns only when
 *       everything written before it is in PostgreSQL, so a completed checkpoint never has rows
 *       outstanding: a restart replays only rows after it, and the upserts absorb the replay.
 * </ul>
 */
final class UpsertWriter<T> implements SinkWriter<T> {

    private static final Logger LOG = LoggerFactory.getLogger(UpsertWriter.class);

    private final JdbcTarget target;
    private final Tables.Table<T> table;
    private final UpsertSink.WriteOptions options;
    private final Thread flusher;

    private final Object lock = new Object();
    // Guarded by lock:
    private LinkedHashMap<Object, T> pending = new LinkedHashMap<>();
    private long oldestPendingNanos;
    private boolean writing;
    private boolean flushRequested;
    private boolean closed;
    private Exception failure;

    private static final long CLOSE_WAIT_MS = 5_000;

    // Used by the flusher thread (and by close() when the flusher is stuck):
    private volatile Connection connection;
    private PreparedStatement statement;

    UpsertWriter(JdbcTarget target, Tables.Table<T> table, UpsertSink.WriteOptions options, String name) {
        this.target = target;
        this.table = table;
        this.options = options;
        this.flusher = new Thread(this::run, "postgres-" + name);
        flusher.setDaemon(true);
        flusher.start();
    }

    @Override
    public void write(T row, Context context) throws IOException, InterruptedException {
        synchronized (lock) {
            while (pending.size() >= options.maxPending() && failure == null) {
                lock.wait();
            }
            checkFailure();
            boolean first = pending.isEmpty();
            if (first) {
                oldestPendingNanos = System.nanoTime();
            }
            pending.put(table.key().apply(row), row);
            if (first || pending.size() == options.batchSize()) {
                // The flusher sleeps without a deadline while nothing is pending: the first row
                // starts its batchInterval clock, a full batch ends it.
                lock.notifyAll();
            }
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        synchronized (lock) {
            flushRequested = true;
            lock.notifyAll();
            while ((writing || !pending.isEmpty()) && failure == null) {
                lock.wait();
            }
            flushRequested = false;
            checkFailure();
        }
    }

    private void checkFailure() throws IOException {
        if (failure != null) {
            throw new IOException("writing to PostgreSQL table " + table.name() + " failed", failure);
        }
    }

    /** The flusher: waits for a batch, writes it (with retries), repeats until closed. */
    private void run() {
        try {
            while (true) {
                Collection<T> batch;
                synchronized (lock) {
                    long waitMs;
                    while (!closed && (waitMs = untilDue()) > 0) {
                        lock.wait(waitMs == Long.MAX_VALUE ? 0 : waitMs);
                    }
                    if (closed) {
                        return;
                    }
                    batch = pending.values();
                    pending = new LinkedHashMap<>();
                    writing = true;
                    lock.notifyAll(); // room for write()
                }
                Exception error = writeWithRetries(batch);
                synchronized (lock) {
                    writing = false;
                    if (error != null) {
                        failure = error;
                    }
                    lock.notifyAll();
                    if (error != null) {
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(new IllegalStateException("PostgreSQL writer of " + table.name() + " interrupted", e));
        } catch (RuntimeException | Error e) {
            // A bug (in a binder, say) must fail the task, not leave flush() waiting for a dead thread.
            fail(e instanceof Exception ex ? ex : new IllegalStateException(e));
        } finally {
            closeConnection();
        }
    }

    /** The writer thread ends: whoever waits for it (flush, write) gets this failure. */
    private void fail(Exception e) {
        synchronized (lock) {
            writing = false;
            failure = e;
            lock.notifyAll();
        }
    }

    /** Milliseconds until the next write is due (0: now; Long.MAX_VALUE: nothing pending). Holds lock. */
    private long untilDue() {
        if (pending.isEmpty()) {
            return Long.MAX_VALUE;
        }
        if (flushRequested || pending.size() >= options.batchSize()) {
            return 0;
        }
        long waitedNanos = System.nanoTime() - oldestPendingNanos;
        return Math.max(0, (options.batchInterval().toNanos() - waitedNanos + 999_999) / 1_000_000);
    }

    /** Returns null when written, else the error that ends the retries. */
    private Exception writeWithRetries(Collection<T> batch) throws InterruptedException {
        long giveUpAt = System.nanoTime() + options.retryFor().toNanos();
        long backoffMs = options.firstBackoff().toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                writeBatch(batch);
                if (attempt > 1) {
                    LOG.info("PostgreSQL table {}: written after {} attempts", table.name(), attempt);
                }
                return null;
            } catch (SQLException | AssertionError e) {
                // pgjdbc 42.7 throws AssertionError from executeBatch when the server vanishes
                // mid-batch ("getAutoCommit() should not throw"): a lost connection like any other.
                boolean lost = e instanceof AssertionError && connectionLost();
                closeConnection();
                if (!lost && !(e instanceof SQLException sql && Retry.worthRetrying(sql))) {
                    return e instanceof Exception ex ? ex : new IllegalStateException(e);
                }
                if (System.nanoTime() + backoffMs * 1_000_000 > giveUpAt) {
                    LOG.error(
                            "PostgreSQL table {}: giving up after {} attempts over {}",
                            table.name(),
                            attempt,
                            options.retryFor());
                    return e instanceof Exception ex ? ex : new IllegalStateException(e);
                }
                LOG.warn(
                        "PostgreSQL table {}: write of {} rows failed (attempt {}: {}); retrying in {} ms",
                        table.name(),
                        batch.size(),
                        attempt,
                        e.getMessage(),
                        backoffMs);
                synchronized (lock) {
                    long until = System.nanoTime() + backoffMs * 1_000_000;
                    long left;
                    while (!closed && (left = until - System.nanoTime()) > 0) {
                        lock.wait(Math.max(1, left / 1_000_000));
                    }
                    if (closed) {
                        return new IllegalStateException("closed while retrying a write of " + batch.size()
                                + " rows to " + table.name() + " (a restart replays them from the last checkpoint)");
                    }
                }
                backoffMs = Math.min(backoffMs * 2, options.maxBackoff().toMillis());
            }
        }
    }

    private void writeBatch(Collection<T> batch) throws SQLException {
        if (statement == null) {
            Properties props = new Properties();
            // Multi-row INSERTs for a batch: far fewer statements for the server to plan and run.
            props.setProperty("reWriteBatchedInserts", "true");
            // A server or network gone without a reset would otherwise block a write for good (the
            // driver waits forever by default): a timeout turns it into an error the retry handles.
            props.setProperty("connectTimeout", "10");
            props.setProperty("socketTimeout", "60");
            connection = target.connect(props);
            if (options.temporaryTables()) {
                // A temporary table comes first in the search path, so the unqualified names of
                // the upsert resolve to the copy. The name is one of Tables' constants.
                try (Statement create = connection.createStatement()) {
                    create.execute(
                            "CREATE TEMPORARY TABLE " + table.name() + " (LIKE " + table.name() + " INCLUDING ALL)");
                }
            }
            statement = connection.prepareStatement(table.sql());
        }
        for (T row : batch) {
            table.binder().bind(statement, row);
            statement.addBatch();
        }
        statement.executeBatch();
    }

    private boolean connectionLost() {
        try {
            return connection == null || connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    private void closeConnection() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException e) {
            LOG.debug("closing a broken connection", e);
        }
        connection = null;
        statement = null;
    }

    /** Stops the flusher; rows not flushed are after the last checkpoint and will be replayed. */
    @Override
    public void close() throws InterruptedException {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        flusher.join(CLOSE_WAIT_MS);
        if (flusher.isAlive()) {
            // Stuck in a write to a server that does not answer: closing the connection under it
            // ends the write, so cancelling the job never hangs on PostgreSQL.
            Connection stuck = connection;
            if (stuck != null) {
                try {
                    stuck.close();
                } catch (SQLException e) {
                    LOG.debug("closing a stuck connection", e);
                }
            }
            flusher.join(CLOSE_WAIT_MS);
        }
    }
}
