package dev.wasmorch.shim.app;

import dev.wasmorch.shim.task.WorkloadException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The daemon's compiled modules by content: a container whose module has the same bytes (SHA-256)
 * as one compiled before — the next replica of a Deployment, a restarted pod — reuses that
 * compilation instead of parsing and compiling again, and starts on code the JIT has already
 * warmed up. Sharing is safe because a compiled module holds no state: every request still gets a
 * fresh instance. Bounded: the daemon keeps the {@value #CAPACITY} most recently used modules
 * compiled; others are dropped (their classes are unloaded once no running app uses them). With a
 * {@link ModuleStore}, every module that compiled is kept on disk too, and a new daemon compiles
 * those again ahead of their pods ({@link #precompile}).
 */
final class ModuleCache {

    static final int CAPACITY = 64;

    /** Same bytes and the same memory cap (the cap is part of a compiled component). */
    private record Key(String sha256, long maxMemoryBytes) {}

    /** A component and whether it came from the cache. */
    record Lookup(WasmComponent component, boolean cached) {}

    private final Map<Key, WasmComponent> compiled;
    private final ModuleStore store;

    /** @param capacity how many compiled modules to keep, least recently used dropped first */
    ModuleCache(int capacity) {
        this(capacity, null);
    }

    /** @param store where compiled modules are kept for the next daemon, or null for nowhere */
    ModuleCache(int capacity, ModuleStore store) {
        this.store = store;
        compiled = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, WasmComponent> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * The component {@code id} of an app, compiled from {@code source} or taken from the cache.
     * Two apps starting the same new module at once may both compile it; the last one is kept.
     *
     * @throws WorkloadException as {@link WasmComponent#compile}; failures are not cached
     */
    Lookup compile(String id, Path source, long maxMemoryBytes) throws WorkloadException {
        byte[] bytes = WasmComponent.read(id, source);
        String sha256 = sha256(bytes);
        Key key = new Key(sha256, maxMemoryBytes);
        WasmComponent hit;
        synchronized (compiled) {
            hit = compiled.get(key);
        }
        if (hit != null) {
            if (store != null) {
                store.keep(sha256, bytes); // marks it used: the store keeps the most recently used
            }
            return new Lookup(hit.as(id, source), true);
        }
        WasmComponent fresh = WasmComponent.compile(id, source, bytes, maxMemoryBytes);
        synchronized (compiled) {
            compiled.put(key, fresh);
        }
        if (store != null) {
            store.keep(sha256, bytes);
        }
        return new Lookup(fresh, false);
    }

    /**
     * Compiles the store's modules into the cache, most recently used first, until {@code stop}
     * says so (checked before each). A module that no longer compiles (a store written by another
     * version's checks) is told and skipped.
     *
     * @return how many were compiled
     */
    int precompile(long maxMemoryBytes, BooleanSupplier stop) {
        if (store == null) {
            return 0;
        }
        int done = 0;
        for (ModuleStore.Stored s : store.load()) {
            if (stop.getAsBoolean()) {
                break;
            }
            try {
                WasmComponent c = WasmComponent.compile("stored", s.file(), s.bytes(), maxMemoryBytes);
                synchronized (compiled) {
                    compiled.putIfAbsent(new Key(s.sha256(), maxMemoryBytes), c);
                }
                done++;
            } catch (WorkloadException e) {
                store.tell(e.getMessage());
            }
        }
        return done;
    }

    /** How many compiled modules are held. */
    int size() {
        synchronized (compiled) {
            return compiled.size();
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
