package dev.wasmorch.shim.app;

import com.dylibso.chicory.runtime.Memory;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The linear memories of an app's instances while their requests run. */
final class LiveMemory {

    private final Set<Memory> running = ConcurrentHashMap.newKeySet();

    void add(Memory m) {
        running.add(m);
    }

    void remove(Memory m) {
        running.remove(m);
    }

    /** Their size now (a memory may grow while it is summed: a snapshot, not a bound). */
    long bytes() {
        long pages = 0;
        for (Memory m : running) {
            pages += m.pages();
        }
        return pages * Memory.PAGE_SIZE;
    }
}
