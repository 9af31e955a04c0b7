package dev.wasmorch.pipeline.parse;

import dev.wasmorch.pipeline.model.RawLine;
import java.time.Instant;

/** Test lines as the real components print them, and helpers to parse them. */
final class Lines {

    /** A file modification time in late November 2026 (dates the year-less klog headers). */
    static final long MTIME = Instant.parse("2026-11-27T08:00:00Z").toEpochMilli();

    static final String NATIVE_SCHEDULED = "WASMORCH-LIFECYCLE/1 ts=2026-11-26T21:24:09.123456Z event=PodScheduled"
            + " ns=default pod=aes-7d9c5b8f6-x2x9k uid=6f0a3c1e-0d4b-4a53-9c1e-2b1f5e7d9a10 node=agent-1"
            + " host=server-1 component=kube-scheduler";

    /** kube-scheduler (K3s server) through journald, `journalctl` short output. */
    static final String SCHEDULER_BOUND = "Nov 26 21:24:09 server-1 k3s[1234]: I1126 21:24:09.120877    1234"
            + " schedule_one.go:314] \"Successfully bound pod to node\" pod=\"default/aes-7d9c5b8f6-x2x9k\""
            + " node=\"agent-1\" evaluatedNodes=3 feasibleNodes=2";

    /** kubelet 1.27-1.33 field set. */
    static final String KUBELET_STARTUP = "Nov 26 21:24:11 agent-1 k3s[877]: I1126 21:24:11.039751     877"
            + " pod_startup_latency_tracker.go:104] \"Observed pod startup duration\""
            + " pod=\"default/aes-7d9c5b8f6-x2x9k\" podStartSLOduration=2.038986014"
            + " podStartE2EDuration=\"2.038986014s\" podCreationTimestamp=\"2026-11-26 21:24:09 +0000 UTC\""
            + " firstStartedPulling=\"0001-01-01 00:00:00 +0000 UTC\" lastFinishedPulling=\"0001-01-01 00:00:00 +0000 UTC\""
            + " observedRunningTime=\"2026-11-26 21:24:10.974209004 +0000 UTC m=+1450.781708380\""
            + " watchObservedRunningTime=\"2026-11-26 21:24:11.038986014 +0000 UTC m=+1450.846485388\"";

    /** The study's patched K3s: its custom Event marker (K3s 1.26, 2023). */
    static final String STUDY_STARTED = "I0512 10:11:12.654321    2345 event.go:294]"
            + " \"===K3S-CUSTOM-998===\" type=\"Normal\" reason=\"Started\" message=\"Started container aes\""
            + " object=\"default/aes-5d8f7c9b4-abcde\" time=\"2023-05-12 10:11:12.654310123 +0000 UTC m=+1234.567890123\"";

    /** A recorded Pod Event, as the kubelet logs it through journald. */
    static final String EVENT_STARTED =
            "Nov 26 21:24:10 agent-1 k3s[877]: I1126 21:24:10.950001     877 event.go:307] \"Event occurred\""
                    + " object=\"default/aes-7d9c5b8f6-x2x9k\" fieldPath=\"spec.containers{aes}\" kind=\"Pod\" apiVersion=\"v1\""
                    + " type=\"Normal\" reason=\"Started\" message=\"Started container aes\"";

    static RawLine raw(String text) {
        return RawLine.of("/var/log/k3s.log", 7, text, MTIME);
    }

    static ParseResult parse(String text) {
        return new LineParser(ParserOptions.defaults()).parse(raw(text));
    }

    private Lines() {}
}
