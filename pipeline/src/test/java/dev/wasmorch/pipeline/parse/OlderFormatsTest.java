package dev.wasmorch.pipeline.parse;

import static dev.wasmorch.pipeline.parse.Lines.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.pipeline.model.LifecycleEvent;
import dev.wasmorch.pipeline.model.Origin;
import dev.wasmorch.pipeline.model.Phase;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The 2023 study's lines and the klog lines of unpatched clusters. */
class OlderFormatsTest {

    @Test
    void studyLineInKlogAndInJournalJsonAsTheStudyReadIt() {
        String json = "{\"__REALTIME_TIMESTAMP\":\"1683886272654999\",\"_HOSTNAME\":\"k3s-worker-1\","
                + "\"MESSAGE\":\"" + Lines.STUDY_STARTED.replace("\"", "\\\"") + "\"}";
        for (String line : List.of(Lines.STUDY_STARTED, json)) {
            LifecycleEvent e = parse(line).events().get(0);
            assertThat(e.phase()).isEqualTo(Phase.CONTAINER_STARTED);
            assertThat(e.namespace()).isEqualTo("default");
            assertThat(e.pod()).isEqualTo("aes-5d8f7c9b4-abcde");
            assertThat(e.container()).isEqualTo("aes");
            assertThat(e.time()).isEqualTo(Instant.parse("2023-05-12T10:11:12.654310123Z"));
            assertThat(e.origin()).isEqualTo(Origin.STUDY);
            assertThat(e.component()).isEqualTo("kubelet");
        }
        assertThat(parse(json).events().get(0).host()).isEqualTo("k3s-worker-1");
    }

    @Test
    void studySuccessfulCreateNamesThePodOrItsReplicaSet() {
        String onPod = "I0512 10:11:11.834000    2345 event.go:294] \"===K3S-CUSTOM-998===\" type=\"Normal\""
                + " reason=\"SuccessfulCreate\" object=\"default/aes-5d8f7c9b4-abcde\" time=\"2023-05-12T10:11:11.833912Z\"";
        String onReplicaSet = "I0512 10:11:11.834000    2345 event.go:294] \"===K3S-CUSTOM-998===\" kind=\"ReplicaSet\""
                + " type=\"Normal\" reason=\"SuccessfulCreate\" message=\"Created pod: aes-5d8f7c9b4-abcde\""
                + " object=\"default/aes-5d8f7c9b4\" time=\"2023-05-12 10:11:11.833912 +0200 CEST\"";
        LifecycleEvent a = parse(onPod).events().get(0);
        LifecycleEvent b = parse(onReplicaSet).events().get(0);
        assertThat(a.phase()).isEqualTo(Phase.CREATED);
        assertThat(a.pod()).isEqualTo("aes-5d8f7c9b4-abcde");
        assertThat(a.time()).isEqualTo(Instant.parse("2023-05-12T10:11:11.833912Z"));
        assertThat(b.pod()).isEqualTo("aes-5d8f7c9b4-abcde");
        assertThat(b.time()).isEqualTo(Instant.parse("2023-05-12T08:11:11.833912Z"));
        assertThat(b.component()).isEqualTo("kube-controller-manager");
    }

    @Test
    void studyLineErrors() {
        assertThat(parse(Lines.STUDY_STARTED.replace(" time=", " when="))
                        .reject()
                        .detail())
                .contains("time");
        assertThat(parse(Lines.STUDY_STARTED.replace("2023-05-12 10:11:12", "2023-13-12 10:11:12"))
                        .reject()
                        .reason())
                .isEqualTo("bad_timestamp");
        assertThat(parse(Lines.STUDY_STARTED.replace("default/aes", "aes"))
                        .reject()
                        .reason())
                .isEqualTo("bad_value");
        assertThat(parse(Lines.STUDY_STARTED.replace("reason=\"Started\"", "reason=\"Pulled\""))
                        .skipped())
                .isTrue();
    }

    @Test
    void schedulerBindIsTimedByTheKlogHeaderAndHostedBySyslog() {
        LifecycleEvent e = parse(Lines.SCHEDULER_BOUND).events().get(0);
        assertThat(e)
                .isEqualTo(new LifecycleEvent(
                        Instant.parse("2026-11-26T21:24:09.120877Z"),
                        Phase.SCHEDULED,
                        "default",
                        "aes-7d9c5b8f6-x2x9k",
                        null,
                        "agent-1",
                        "server-1",
                        "kube-scheduler",
                        null,
                        null,
                        Origin.SCHEDULER_LOG,
                        false,
                        "/var/log/k3s.log",
                        7));
    }

    @Test
    void kubeletStartupGivesCreatedToTheSecondAndObservedRunning() {
        List<LifecycleEvent> events = parse(Lines.KUBELET_STARTUP).events();
        assertThat(events).hasSize(2);
        LifecycleEvent created = events.get(0);
        assertThat(created.phase()).isEqualTo(Phase.CREATED);
        assertThat(created.time()).isEqualTo(Instant.parse("2026-11-26T21:24:09Z"));
        assertThat(created.secondsPrecision()).isTrue();
        assertThat(created.host()).as("the API server took it, not this host").isNull();
        LifecycleEvent running = events.get(1);
        assertThat(running.phase()).isEqualTo(Phase.CONTAINER_STARTED);
        assertThat(running.time()).isEqualTo(Instant.parse("2026-11-26T21:24:10.974209004Z"));
        assertThat(running.secondsPrecision()).isFalse();
        assertThat(running.host()).isEqualTo("agent-1");
        assertThat(running.component()).isEqualTo("kubelet");
        assertThat(running.origin()).isEqualTo(Origin.KUBELET_STARTUP);
    }

    @Test
    void kubeletStartupOldestAndNewestFieldSets() {
        // 1.26: pod.CreationTimestamp, the SLO duration overflowing while pulling.
        String v126 =
                "I1230 15:33:13.375359    8362 pod_startup_latency_tracker.go:102] \"Observed pod startup duration\""
                        + " pod=\"kube-system/konnectivity-agent-gnc9k\" podStartSLOduration=-9.223372029479458e+09"
                        + " pod.CreationTimestamp=\"2022-12-30 15:33:06 +0000 UTC\""
                        + " firstStartedPulling=\"2022-12-30 15:33:09.258791695 +0000 UTC m=+13.029631711\""
                        + " lastFinishedPulling=\"0001-01-01 00:00:00 +0000 UTC\""
                        + " observedRunningTime=\"2022-12-30 15:33:13.375009262 +0000 UTC m=+17.145849275\""
                        + " watchObservedRunningTime=\"2022-12-30 15:33:13.375317944 +0000 UTC m=+17.146157970\"";
        assertThat(parse(v126).events())
                .extracting(LifecycleEvent::phase, LifecycleEvent::time)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Phase.CREATED, Instant.parse("2022-12-30T15:33:06Z")),
                        org.assertj.core.groups.Tuple.tuple(
                                Phase.CONTAINER_STARTED, Instant.parse("2022-12-30T15:33:13.375009262Z")));
        // 1.34: image pull sessions, no pulling timestamps.
        String v134 = "Sep 17 13:28:50 devops-hw-control-plane kubelet[756]: I0917 13:28:50.134641     756"
                + " pod_startup_latency_tracker.go:144] \"Observed pod startup duration\""
                + " pod=\"kube-system/coredns-559f6c778d-bvm4l\" podStartSLOduration=13.134622006"
                + " podStartE2EDuration=\"13.134622006s\" totalImagesPullingTime=\"0s\" totalInitContainerRuntime=\"0s\""
                + " isStatefulPod=false podCreationTimestamp=\"2026-09-17 13:28:37 +0000 UTC\" imagePullSessionsCount=0"
                + " imagePullSessionsStartsCount=0 observedRunningTime=\"2026-09-17 13:28:49.216680172 +0000 UTC m=+20.184326469\""
                + " watchObservedRunningTime=\"2026-09-17 13:28:50.134622006 +0000 UTC m=+21.102268303\"";
        assertThat(parse(v134).events())
                .hasSize(2)
                .allSatisfy(e -> assertThat(e.pod()).isEqualTo("coredns-559f6c778d-bvm4l"));
        // Not yet observed running: Go's zero time gives no event.
        assertThat(parse(v134.replace(
                                "2026-09-17 13:28:49.216680172 +0000 UTC m=+20.184326469",
                                "0001-01-01 00:00:00 +0000 UTC"))
                        .events())
                .extracting(LifecycleEvent::phase)
                .containsExactly(Phase.CREATED);
        ParseResult bad = parse(v134.replace("13:28:49.216680172", "13:28:49.2166801729999"));
        assertThat(bad.reject().reason()).isEqualTo("bad_timestamp");
        assertThat(bad.reject().detail()).contains("observedRunningTime");
    }

    @Test
    void eventOccurredLinesWithAndWithoutLoggerAndFieldPath() {
        String rs = "Nov 26 21:24:08 server-1 k3s[1234]: I1126 21:24:08.901253    1234 event.go:389] \"Event occurred\""
                + " logger=\"replicaset-controller\" object=\"default/aes-7d9c5b8f6\" fieldPath=\"\" kind=\"ReplicaSet\""
                + " apiVersion=\"apps/v1\" type=\"Normal\" reason=\"SuccessfulCreate\" message=\"Created pod: aes-7d9c5b8f6-x2x9k\"";
        String sts =
                "I1126 21:24:08.942260      10 event.go:307] \"Event occurred\" object=\"default/ebstest\" fieldPath=\"\""
                        + " kind=\"StatefulSet\" apiVersion=\"apps/v1\" type=\"Normal\" reason=\"SuccessfulCreate\""
                        + " message=\"create Pod ebstest-0 in StatefulSet ebstest successful\"";
        String started = Lines.EVENT_STARTED;
        String oldStyle =
                "I1126 21:24:10.950001     877 event.go:294] \"Event occurred\" object=\"default/aes-1\" kind=\"Pod\""
                        + " apiVersion=\"v1\" type=\"Normal\" reason=\"Scheduled\" message=\"Successfully assigned default/aes-1 to agent-1\"";
        String node = "I1126 21:24:10.950001     877 event.go:307] \"Event occurred\" object=\"agent-1\" fieldPath=\"\""
                + " kind=\"Node\" apiVersion=\"v1\" type=\"Normal\" reason=\"NodeReady\" message=\"Node agent-1 status is now: NodeReady\"";

        LifecycleEvent a = parse(rs).events().get(0);
        assertThat(a.phase()).isEqualTo(Phase.CREATED);
        assertThat(a.pod()).isEqualTo("aes-7d9c5b8f6-x2x9k");
        assertThat(a.time()).isEqualTo(Instant.parse("2026-11-26T21:24:08.901253Z"));
        assertThat(a.host()).isEqualTo("server-1");
        assertThat(a.origin()).isEqualTo(Origin.EVENT_LOG);
        assertThat(parse(sts).events().get(0).pod()).isEqualTo("ebstest-0");
        LifecycleEvent c = parse(started).events().get(0);
        assertThat(c.phase()).isEqualTo(Phase.CONTAINER_STARTED);
        assertThat(c.container()).isEqualTo("aes");
        assertThat(c.host()).isEqualTo("agent-1");
        assertThat(parse(oldStyle).events().get(0).node()).isEqualTo("agent-1");
        assertThat(parse(node).skipped()).isTrue();
        assertThat(parse(started.replace(" kind=\"Pod\"", "")).reject().detail())
                .contains("kind");
    }

    @Test
    void criContainerLogPrefixDatesTheKlogHeader() {
        String line = "2025-12-31T23:59:59.752570988Z stderr F I1231 23:59:59.752136       1 schedule_one.go:314]"
                + " \"Successfully bound pod to node\" pod=\"ns/p-0\" node=\"kind-worker\" evaluatedNodes=9 feasibleNodes=1";
        assertThat(parse(line).events().get(0).time()).isEqualTo(Instant.parse("2025-12-31T23:59:59.752136Z"));
    }

    @Test
    void noiseAndMentionsWithoutTheStructuredMessageAreSkipped() {
        assertThat(parse(
                                "Nov 26 21:24:09 server-1 k3s[1234]: I1126 21:24:09.123456    1234 trace.go:236]"
                                        + " Trace[1]: \"Update\" url:/api/v1/namespaces/default/pods (26-Nov-2026 21:24:08.000) total time: 1.1s")
                        .skipped())
                .isTrue();
        assertThat(parse("some text saying Event occurred without klog quoting").skipped())
                .isTrue();
        assertThat(parse("").skipped()).isTrue();
    }
}
