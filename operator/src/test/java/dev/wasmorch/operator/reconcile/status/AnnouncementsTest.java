package dev.wasmorch.operator.reconcile.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class AnnouncementsTest {
    private static final String UID = "uid-1";

    /**
     * One reconciliation: the problem it finds (null: healthy), whether its status write reaches the
     * server, and which of the statuses written so far it reads (0 the oldest; clamped to the newest).
     */
    record Step(String problem, boolean written, int read) {}

    /** The event the reconciler posts, as "Reason" or "Recovered: No longer degraded (was X)"; null if none. */
    private static String announce(Announcements announcements, String inStatus, String problem) {
        return announcements
                .next(UID, inStatus, problem == null ? null : new Problem(problem, "why " + problem, false))
                .map(a -> {
                    if (problem != null) {
                        assertThat(a.type()).isEqualTo(EventRecorder.WARNING);
                        assertThat(a.message()).isEqualTo("why " + problem);
                        return a.reason();
                    }
                    assertThat(a.type()).isEqualTo(EventRecorder.NORMAL);
                    return a.reason() + ": " + a.message();
                })
                .orElse(null);
    }

    /**
     * Whatever status each reconciliation reads, stale by any number of writes or left behind by a
     * failed write, the events are exactly the transitions between consecutive problems, starting
     * from the one the status showed when the operator started.
     */
    @Property(tries = 2000)
    void everyTransitionIsAnnouncedExactlyOnce(@ForAll("problem") String atStart, @ForAll("steps") List<Step> steps) {
        Announcements announcements = new Announcements();
        List<String> server = new ArrayList<>();
        server.add(atStart);
        List<String> events = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        String previous = atStart;
        for (Step step : steps) {
            String read = server.get(Math.min(step.read(), server.size() - 1));
            String event = announce(announcements, read, step.problem());
            if (event != null) {
                events.add(event);
            }
            if (!Objects.equals(previous, step.problem())) {
                expected.add(
                        step.problem() != null
                                ? step.problem()
                                : "Recovered: No longer degraded (was " + previous + ")");
            }
            previous = step.problem();
            if (step.written()) {
                server.add(step.problem());
            }
        }
        assertThat(events).isEqualTo(expected);
    }

    @Provide
    Arbitrary<String> problem() {
        return Arbitraries.of("PortRegistryUnavailable", "ReconcileError", "InvalidSpec")
                .injectNull(0.4);
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Combinators.combine(
                        problem(),
                        Arbitraries.of(true, false),
                        Arbitraries.integers().between(0, 40))
                .as(Step::new)
                .list()
                .ofMaxSize(30);
    }

    @Test
    void aStatusOlderThanTheLastAnnouncementAnnouncesNothing() {
        Announcements announcements = new Announcements();
        assertThat(announce(announcements, null, "ReconcileError")).isEqualTo("ReconcileError");
        // The next retry reads the status from before the Degraded write: no second warning.
        assertThat(announce(announcements, null, "ReconcileError")).isNull();
        assertThat(announce(announcements, "ReconcileError", null))
                .isEqualTo("Recovered: No longer degraded (was ReconcileError)");
        // A read of the Degraded status written before the recovery: no second recovery.
        assertThat(announce(announcements, "ReconcileError", null)).isNull();
        assertThat(announcements.last(UID, "ReconcileError")).isNull();
    }

    @Test
    void anAppFirstSeenDegradedIsJudgedByItsStatus() {
        Announcements announcements = new Announcements();
        assertThat(announcements.last(UID, "InvalidSpec")).isEqualTo("InvalidSpec");
        assertThat(announce(announcements, "InvalidSpec", "InvalidSpec")).isNull();
        assertThat(announce(new Announcements(), "InvalidSpec", null))
                .isEqualTo("Recovered: No longer degraded (was InvalidSpec)");
    }
}
