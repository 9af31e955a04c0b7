package dev.wasmorch.operator.reconcile.status;

import java.util.Map;
import java.util.Optional;
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

    /** An Event to post on the app. */
    public record Announcement(String type, String reason, String message) {}

    private final Map<String, String> announced = new ConcurrentHashMap<>();

    /**
     * The reason announced last for the app, or null if that was a recovery (or there was none).
     *
     * @param degradedInStatus the reason of the Degraded condition in the status read, or null if
     *     the status has none that is true
     */
    public String last(String uid, String degradedInStatus) {
        return before(announced.get(uid), degradedInStatus);
    }

    /**
     * The Event for a change from what was announced last to {@code problem} (null: the app is
     * healthy), if it is one; remembers {@code problem} as announced.
     */
    public Optional<Announcement> next(String uid, String degradedInStatus, Problem problem) {
        // JOSDK never reconciles one resource on two threads at once, so this read and the write
        // below need no lock between them; the map is concurrent for different apps.
        String remembered = announced.get(uid);
        String before = before(remembered, degradedInStatus);
        if (problem != null) {
            announced.put(uid, problem.reason());
        } else if (remembered != null || before != null) {
            announced.put(uid, RECOVERED);
        }
        if (problem != null && !problem.reason().equals(before)) {
            return Optional.of(new Announcement(EventRecorder.WARNING, problem.reason(), problem.message()));
        }
        if (problem == null && before != null) {
            return Optional.of(
                    new Announcement(EventRecorder.NORMAL, "Recovered", "No longer degraded (was " + before + ")"));
        }
        return Optional.empty();
    }

    private static String before(String remembered, String degradedInStatus) {
        if (remembered == null) {
            return degradedInStatus;
        }
        return remembered.equals(RECOVERED) ? null : remembered;
    }
}
