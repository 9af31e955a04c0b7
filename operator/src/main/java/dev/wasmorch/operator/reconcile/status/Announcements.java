package dev.wasmorch.operator.reconcile.status;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The problem each WasmApp's events last announced, so that every transition is announced once.
 *
 * <p>The status read by a reconciliation cannot tell on its own: the status write that follows an
 * announcement may fail, or the next reconciliation may read a status older than the one just
 * written, and either way it would announce the same problem again (a ReconcileError twice in CI).
 * An app not seen since the operator started is judged by its status, which is then all there is.
 *
 * <p>An app gets an entry once it has been degraded, and keeps it after a recovery: an older status
 * may still be read later, and its Degraded condition must not announce the recovery twice. An app
 * deleted leaves its entry (a UID and a reason, some 100 bytes) until the operator restarts.
 */
public final class Announcements {
    /** The last announcement was a recovery. */
    private static final String RECOVERED = "";

    private final Map<String, String> announced = new ConcurrentHashMap<>();

    /** What {@link #swap} would return, without remembering anything. */
    public String last(String uid, String degradedInStatus) {
        return before(announced.get(uid), degradedInStatus);
    }

    /**
     * Remembers {@code problem} as announced for the app and returns what was announced before it.
     *
     * @param uid the app's UID
     * @param degradedInStatus the reason of the Degraded condition in the status read, or null if
     *     the status has none that is true
     * @param problem the reason now in effect, or null when the app is healthy
     * @return the reason announced before, or null if the last announcement was a recovery (or
     *     there was none)
     */
    public String swap(String uid, String degradedInStatus, String problem) {
        String[] before = new String[1];
        announced.compute(uid, (key, last) -> {
            before[0] = before(last, degradedInStatus);
            if (problem != null) {
                return problem;
            }
            return last == null && before[0] == null ? null : RECOVERED;
        });
        return before[0];
    }

    /** What was announced before, given the remembered entry (null if none) and the status read. */
    private static String before(String remembered, String degradedInStatus) {
        if (remembered == null) {
            return degradedInStatus;
        }
        return remembered.equals(RECOVERED) ? null : remembered;
    }
}
