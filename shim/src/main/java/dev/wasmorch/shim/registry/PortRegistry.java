package dev.wasmorch.shim.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmorch.contract.registry.PortFields;
import dev.wasmorch.contract.registry.PortKeys;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Publishes app ports in Redis (contract/port-registry.md): both keys with a TTL that a refresh renews
 * while the app runs, so a crashed shim's entries expire by themselves, and a shim daemon starting in
 * its place removes them at once ({@link #removeStale}). Redis being down never stops an app: the
 * registration is retried with exponential backoff and logged, serving goes on.
 */
public final class PortRegistry implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(PortRegistry.class.getName());

    /** The contract's timing: entries live 30 s and are rewritten every 10 s. */
    public static final Duration TTL = Duration.ofSeconds(30);

    public static final Duration REFRESH = Duration.ofSeconds(10);
    /** First retry after a failed write; doubled per failure up to the refresh interval. */
    static final Duration FIRST_RETRY = Duration.ofMillis(500);

    /**
     * Deletes a stale entry's keys only while they still hold what was read: the pod's key and set
     * member go only with an equal value under the pod key (the registration JSON is untrusted: it
     * cannot name another's keys into deletion). KEYS: cid key, pod key, set key (the last two may
     * be absent); ARGV: the JSON, the container name.
     */
    private static final String REMOVE_STALE = """
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
            redis.call('DEL', KEYS[1])
            if KEYS[2] and redis.call('GET', KEYS[2]) == ARGV[1] then
              redis.call('DEL', KEYS[2])
              redis.call('SREM', KEYS[3], ARGV[2])
            end
            return 1
            """;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RedisTarget target;
    private final String shim;
    private final JedisPooled redis;
    private final Duration ttl;
    private final Duration refresh;
    private final Clock clock;

    /** @param shim who writes the entries (contract's {@code PortFields.SHIM}) */
    public PortRegistry(RedisTarget target, String shim) {
        this(target, shim, TTL, REFRESH, Clock.systemUTC());
    }

    /** With other timing (tests use seconds instead of tens of seconds). */
    public PortRegistry(RedisTarget target, String shim, Duration ttl, Duration refresh, Clock clock) {
        if (refresh.compareTo(ttl) >= 0) {
            throw new IllegalArgumentException("refresh " + refresh + " must be shorter than the TTL " + ttl);
        }
        this.target = target;
        this.shim = shim;
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
        String json = r.toJson(clock.instant(), shim);
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

    /**
     * Removes the entries that name this registry's shim: a daemon calls it before it publishes
     * anything, so any such entry is its crashed predecessor's, for an app that no longer serves.
     * Without it the operator would route to those ports until their TTL ran out. Entries that are
     * not registration JSON are someone else's business and left alone. Bounded by {@code within}
     * (a shared Redis may hold many nodes' entries); Redis being down only logs.
     *
     * @return the entries removed
     */
    public int removeStale(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        int removed = 0;
        ScanParams ours = new ScanParams().match(PortKeys.BY_CONTAINER_ID + "*").count(500);
        String cursor = ScanParams.SCAN_POINTER_START;
        try {
            do {
                ScanResult<String> page = redis.scan(cursor, ours);
                cursor = page.getCursor();
                List<String> keys = page.getResult();
                List<String> values = keys.isEmpty() ? List.of() : redis.mget(keys.toArray(String[]::new));
                for (int i = 0; i < keys.size(); i++) {
                    if (removeIfOurs(keys.get(i), values.get(i))) {
                        removed++;
                    }
                }
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START) && System.nanoTime() < deadline);
            if (!cursor.equals(ScanParams.SCAN_POINTER_START)) {
                LOG.log(
                        Level.WARNING,
                        "Redis at {0}: stale registrations of {1} not all looked at within {2} s; "
                                + "the rest expire within {3} s",
                        target.display(),
                        shim,
                        within.toSeconds(),
                        ttl.toSeconds());
            }
        } catch (JedisException e) {
            LOG.log(
                    Level.WARNING,
                    "Redis at {0} unreachable ({1}): stale registrations of {2} expire within {3} s",
                    target.display(),
                    e.getMessage(),
                    shim,
                    ttl.toSeconds());
        }
        return removed;
    }

    private boolean removeIfOurs(String cidKey, String json) {
        JsonNode entry;
        try {
            entry = json == null ? null : JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return false;
        }
        if (entry == null
                || !entry.isObject()
                || !shim.equals(entry.path(PortFields.SHIM).asText(null))) {
            return false;
        }
        String namespace = entry.path(PortFields.NAMESPACE).asText(null);
        String pod = entry.path(PortFields.POD).asText(null);
        String container = entry.path(PortFields.CONTAINER).asText(null);
        List<String> keys = namespace == null || pod == null || container == null
                ? List.of(cidKey)
                : List.of(cidKey, PortKeys.byPod(namespace, pod, container), PortKeys.podContainers(namespace, pod));
        Object done = redis.eval(REMOVE_STALE, keys, List.of(json, container == null ? "" : container));
        return Long.valueOf(1).equals(done);
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
