package dev.wasmorch.shim.registry;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * Publishes app ports in Redis (contract/port-registry.md): both keys with a TTL that a refresh renews
 * while the app runs, so a crashed shim's entries expire by themselves. Redis being down never stops
 * an app: the registration is retried with exponential backoff and logged, serving goes on.
 */
public final class PortRegistry implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(PortRegistry.class.getName());

    /** The contract's timing: entries live 30 s and are rewritten every 10 s. */
    public static final Duration TTL = Duration.ofSeconds(30);

    public static final Duration REFRESH = Duration.ofSeconds(10);
    /** First retry after a failed write; doubled per failure up to the refresh interval. */
    static final Duration FIRST_RETRY = Duration.ofMillis(500);

    private final RedisTarget target;
    private final JedisPooled redis;
    private final Duration ttl;
    private final Duration refresh;
    private final Clock clock;

    public PortRegistry(RedisTarget target) {
        this(target, TTL, REFRESH, Clock.systemUTC());
    }

    /** With other timing (tests use seconds instead of tens of seconds). */
    public PortRegistry(RedisTarget target, Duration ttl, Duration refresh, Clock clock) {
        if (refresh.compareTo(ttl) >= 0) {
            throw new IllegalArgumentException("refresh " + refresh + " must be shorter than the TTL " + ttl);
        }
        this.target = target;
        this.redis = new JedisPooled(target.address(), target.config());
        this.ttl = ttl;
        this.refresh = refresh;
        this.clock = clock;
    }

    /**
     * Starts publishing; the first write is attempted right away on the scheduler.
     *
     * @return the publication; closing it stops the refresh and removes the entries
     */
    public Publication publish(PortRegistration registration, ScheduledExecutorService scheduler) {
        Publication p = new Publication(registration, scheduler);
        p.schedule(Duration.ZERO);
        return p;
    }

    /** Writes the keys once (also the refresh). */
    void write(PortRegistration r) {
        String json = r.toJson(clock.instant());
        SetParams px = SetParams.setParams().px(ttl.toMillis());
        try (var tx = redis.multi()) {
            tx.set(r.cidKey(), json, px);
            r.podKey().ifPresent(k -> tx.set(k, json, px));
            r.setKey().ifPresent(k -> {
                tx.sadd(k, r.container());
                tx.pexpire(k, ttl.toMillis());
            });
            tx.exec();
        }
    }

    /** Deletes the keys and the set member. */
    void remove(PortRegistration r) {
        try (var tx = redis.multi()) {
            tx.del(r.cidKey());
            r.podKey().ifPresent(tx::del);
            r.setKey().ifPresent(k -> tx.srem(k, r.container()));
            tx.exec();
        }
    }

    @Override
    public void close() {
        redis.close();
    }

    /** One app's live registration. */
    public final class Publication implements AutoCloseable {

        private final PortRegistration registration;
        private final ScheduledExecutorService scheduler;
        private Duration backoff = FIRST_RETRY;
        private boolean failing;
        private boolean registered;
        private boolean closed;
        private ScheduledFuture<?> next;

        private Publication(PortRegistration registration, ScheduledExecutorService scheduler) {
            this.registration = registration;
            this.scheduler = scheduler;
        }

        private synchronized void schedule(Duration delay) {
            if (!closed) {
                next = scheduler.schedule(this::attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        /** Synchronized with close(), so a refresh can never re-create keys close() just removed. */
        private synchronized void attempt() {
            if (closed) {
                return;
            }
            try {
                write(registration);
                if (failing) {
                    LOG.log(Level.INFO, "Redis at {0} reachable again: registered {1}", target.display(), registration);
                }
                failing = false;
                registered = true;
                backoff = FIRST_RETRY;
                schedule(refresh);
            } catch (JedisException e) {
                LOG.log(
                        Level.WARNING,
                        "Redis at {0} unreachable ({1}): cannot register {2}; the app keeps serving, "
                                + "retrying in {3} ms",
                        target.display(),
                        e.getMessage(),
                        registration,
                        String.valueOf(backoff.toMillis()));
                failing = true;
                registered = false;
                schedule(backoff);
                Duration doubled = backoff.multipliedBy(2);
                backoff = doubled.compareTo(refresh) > 0 ? refresh : doubled;
            }
        }

        /** Whether the last write attempt succeeded. */
        public synchronized boolean registered() {
            return registered;
        }

        /** Stops refreshing and removes the entries (best effort: if Redis is down they expire by TTL). */
        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (next != null) {
                next.cancel(false);
            }
            try {
                remove(registration);
            } catch (JedisException e) {
                LOG.log(
                        Level.WARNING,
                        "Redis at {0} unreachable ({1}): could not remove {2}; it expires within {3} s",
                        target.display(),
                        e.getMessage(),
                        registration,
                        ttl.toSeconds());
            }
        }
    }
}
