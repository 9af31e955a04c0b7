package dev.wasmorch.pipeline.parse;

import static dev.wasmorch.pipeline.parse.Lines.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.contract.lifecycle.NativeLine;
import dev.wasmorch.pipeline.model.LifecycleEvent;
import dev.wasmorch.pipeline.model.Origin;
import dev.wasmorch.pipeline.model.Phase;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NativeFormatTest {

    @Test
    void readsTheContractExample() {
        ParseResult r = parse(Lines.NATIVE_SCHEDULED);
        assertThat(r.reject()).isNull();
        assertThat(r.events())
                .containsExactly(new LifecycleEvent(
                        Instant.parse("2026-11-26T21:24:09.123456Z"),
                        Phase.SCHEDULED,
                        "default",
                        "aes-7d9c5b8f6-x2x9k",
                        "6f0a3c1e-0d4b-4a53-9c1e-2b1f5e7d9a10",
                        "agent-1",
                        "server-1",
                        "kube-scheduler",
                        null,
                        null,
                        Origin.NATIVE,
                        false,
                        "/var/log/k3s.log",
                        7));
    }

    @Test
    void readsNanosecondsAndEveryPhaseName() {
        for (Phase p : Phase.values()) {
            String line = "WASMORCH-LIFECYCLE/1 ts=2026-11-26T21:24:09.123456789Z event=" + p.eventName()
                    + " ns=default pod=p host=agent-1 component=kubelet";
            assertThat(parse(line).events()).singleElement().satisfies(e -> {
                assertThat(e.phase()).isEqualTo(p);
                assertThat(e.time()).isEqualTo(Instant.parse("2026-11-26T21:24:09.123456789Z"));
            });
        }
    }

    @Test
    void readsBehindKlogHeaderSyslogPrefixAndInJournalJson() {
        String klog = "I1126 21:24:09.123456    1234 lifecycle.go:57] " + Lines.NATIVE_SCHEDULED;
        String syslog = "Nov 26 21:24:09 server-1 k3s[1234]: " + klog;
        String json = "{\"__CURSOR\":\"s=739ad4;i=4ece7\",\"__REALTIME_TIMESTAMP\":\"1795814649124001\","
                + "\"_HOSTNAME\":\"server-1\",\"SYSLOG_IDENTIFIER\":\"k3s\",\"_PID\":\"1234\",\"MESSAGE\":\"" + klog
                + "\"}";
        for (String line : new String[] {klog, syslog, json}) {
            assertThat(parse(line).events())
                    .as(line)
                    .singleElement()
                    .satisfies(e -> assertThat(e.pod()).isEqualTo("aes-7d9c5b8f6-x2x9k"));
        }
    }

    @Test
    void readsJournalMessageGivenAsBytes() {
        byte[] msg = ("I1126 21:24:09.123456    1234 lifecycle.go:57] " + Lines.NATIVE_SCHEDULED)
                .getBytes(StandardCharsets.UTF_8);
        StringJoiner arr = new StringJoiner(",", "[", "]");
        for (byte b : msg) {
            arr.add(Integer.toString(b & 0xff));
        }
        String json = "{ \"__REALTIME_TIMESTAMP\" : \"1795814649124001\", \"_HOSTNAME\" : \"server-1\", \"MESSAGE\" : "
                + arr + " }";
        assertThat(parse(json).events())
                .singleElement()
                .satisfies(e -> assertThat(e.node()).isEqualTo("agent-1"));

        byte[] bad = msg.clone();
        int at = bad.length - 3; // inside component=kube-scheduler
        bad[at] = (byte) 0xff;
        StringJoiner badArr = new StringJoiner(",", "[", "]");
        for (byte b : bad) {
            badArr.add(Integer.toString(b & 0xff));
        }
        ParseResult r = parse("{\"MESSAGE\":" + badArr + "}");
        assertThat(r.reject().reason()).isEqualTo("invalid_utf8");
        assertThat(r.reject().detail()).contains("MESSAGE").contains("0xff").contains("column " + (at + 1));
    }

    @Test
    void quotedValuesWithEveryEscape() {
        String line = "WASMORCH-LIFECYCLE/1 ts=2026-11-26T21:24:10.000001Z event=ContainerStarted ns=default"
                + " pod=aes-1 host=agent-1 component=wasmorch-shim"
                + " container=\"a b\\\"c\\\\d\\n\\t\\a\\b\\f\\r\\v\\x41\\u00e9\\U0001F600\\101\\xc3\\xa9 €\""
                + " handler=\"\" cid=abc";
        LifecycleEvent e = parse(line).events().get(0);
        assertThat(e.container()).isEqualTo("a b\"c\\d\n\t\u0007\b\f\r\u000bAé\uD83D\uDE00Aé €");
        assertThat(e.handler()).as("empty quoted value counts as absent").isNull();
    }

    @Test
    void kubeEventsMapByReason() {
        String base = "WASMORCH-LIFECYCLE/1 ts=2026-11-26T21:24:09.100000Z event=KubeEvent ns=default host=server-1"
                + " component=kube-controller-manager ";
        LifecycleEvent created = parse(base + "reason=SuccessfulCreate kind=ReplicaSet object=aes-7d9c5b8f6"
                        + " objuid=11111111-2222-3333-4444-555555555555 msg=\"Created pod: aes-7d9c5b8f6-x2x9k\"")
                .events()
                .get(0);
        assertThat(created.phase()).isEqualTo(Phase.CREATED);
        assertThat(created.pod()).isEqualTo("aes-7d9c5b8f6-x2x9k");
        assertThat(created.uid()).as("the ReplicaSet's UID is not the pod's").isNull();
        assertThat(created.origin()).isEqualTo(Origin.NATIVE_EVENT);
        assertThat(created.component()).isEqualTo("kube-controller-manager");

        LifecycleEvent scheduled = parse(base + "reason=Scheduled kind=Pod object=aes-1 objuid=u-1"
                        + " msg=\"Successfully assigned default/aes-1 to agent-2\"")
                .events()
                .get(0);
        assertThat(scheduled.phase()).isEqualTo(Phase.SCHEDULED);
        assertThat(scheduled.node()).isEqualTo("agent-2");
        assertThat(scheduled.uid()).isEqualTo("u-1");

        assertThat(parse(base + "reason=Created kind=Pod object=aes-1 msg=\"Created container: aes\"")
                        .events())
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.phase()).isEqualTo(Phase.CONTAINER_CREATED);
                    assertThat(e.container()).isEqualTo("aes");
                });
        assertThat(parse(base + "reason=Started kind=Pod object=aes-1 msg=\"Started container aes\"")
                        .events())
                .singleElement()
                .satisfies(e -> assertThat(e.phase()).isEqualTo(Phase.CONTAINER_STARTED));
        assertThat(parse(base + "reason=Killing kind=Pod object=aes-1 msg=\"Stopping container aes\"")
                        .events())
                .singleElement()
                .satisfies(e -> assertThat(e.phase()).isEqualTo(Phase.DELETED));
        assertThat(parse(base + "reason=Pulled kind=Pod object=aes-1 msg=\"Container image already present\"")
                        .skipped())
                .isTrue();
        assertThat(parse(base + "reason=SuccessfulCreate kind=CronJob object=nightly msg=\"Created job nightly-1\"")
                        .skipped())
                .isTrue();
        ParseResult noPod = parse(base + "reason=SuccessfulCreate kind=ReplicaSet object=aes-7d9c5b8f6 msg=\"scaled\"");
        assertThat(noPod.reject().reason()).isEqualTo("missing_field");
        assertThat(noPod.reject().detail()).contains("msg");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "event=PodSeen ns=default pod=p host=h component=kubelet|missing_field|ts",
                "ts=2026-11-26T21:24:09.123456Z ns=default pod=p host=h component=kubelet|missing_field|event",
                "ts=2026-11-26T21:24:09.123456Z event=PodSeen pod=p host=h component=kubelet|missing_field|ns",
                "ts=2026-11-26T21:24:09.123456Z event=PodSeen ns=default host=h component=kubelet|missing_field|pod",
                "ts=2026-11-26T21:24:09.123456Z event=PodSeen ns=default pod=p component=kubelet|missing_field|host",
                "ts=2026-11-26T21:24:09.123456Z event=PodSeen ns=default pod=p host=h|missing_field|component",
                "ts=2026-11-26T21:24:09.123456Z event=PodSeen ns=default pod=\"\" host=h component=kubelet|missing_field|pod",
                "ts=2026-11-26T21:24:09Z event=PodSeen ns=default pod=p host=h component=kubelet|bad_timestamp|ts",
                "ts=2026-11-26T21:24:09.123+01:00 event=PodSeen ns=default pod=p host=h component=kubelet|bad_timestamp|ts",
                "ts=2026-02-30T21:24:09.123456Z event=PodSeen ns=default pod=p host=h component=kubelet|bad_timestamp|ts",
                "ts=2026-11-26T25:24:09.123456Z event=PodSeen ns=default pod=p host=h component=kubelet|bad_timestamp|ts",
                "ts=2026-11-26T21:24:09.123456Z event=PodExploded ns=default pod=p host=h component=kubelet|unknown_event|PodExploded",
                "ts=2026-11-26T21:24:09.123456Z event=PodSeen ns=default pod=p pod=q host=h component=kubelet|duplicate_field|pod",
                "ts=2026-11-26T21:24:09.123456Z event=PodSeen ns=default pod=\"p host=h component=kubelet|bad_quoting|pod",
                "ts=2026-11-26T21:24:09.123456Z event=PodSeen ns=default pod=\"p\\q\" host=h component=kubelet|bad_quoting|pod",
                "ts=2026-11-26T21:24:09.123456Z event=PodSeen ns=default pod=\"p\\x4\" host=h component=kubelet|bad_quoting|pod",
                // Go decodes invalid bytes to U+FFFD, which would merge a\xffb and a\xfeb into one pod
                "ts=2026-11-26T21:24:09.123456Z event=PodSeen ns=default pod=\"a\\xffb\" host=h component=kubelet|invalid_utf8|pod",
                "ts=2026-11-26T21:24:09.123456Z event=PodSeen ns=default pod=\"a\\xfeb\" host=h component=kubelet|invalid_utf8|\\xfe",
                "ts=2026-11-26T21:24:09.123456Z event=PodSeen ns=default pod=\"caf\\xc3\" host=h component=kubelet|invalid_utf8|pod",
                "ts=2026-11-26T21:24:09.123456Z event=PodSeen ns=default pod=\"\\355\\240\\200\" host=h component=kubelet|invalid_utf8|pod",
                "ts=2026-11-26T21:24:09.123456Z event=PodSeen ns=default pod=\"p\"x host=h component=kubelet|bad_quoting|pod",
                "ts=2026-11-26T21:24:09.123456Z event=PodSeen ns=default pod=a*b host=h component=kubelet|bad_quoting|pod",
                "ts=2026-11-26T21:24:09.123456Z event=PodSeen ns=default pod= host=h component=kubelet|bad_quoting|pod",
                "ts=2026-11-26T21:24:09.123456Z event=PodSeen ns=default pod=p stray host=h component=kubelet|bad_syntax|stray",
                "ts=2026-11-26T21:24:09.123456Z event=KubeEvent ns=default host=h component=kubelet kind=Pod object=p|missing_field|reason",
            })
    void rejectsMalformedNativeLinesNamingTheField(String fields, String reason, String named) {
        ParseResult r = parse("I1126 21:24:09.123456    1234 lifecycle.go:57] WASMORCH-LIFECYCLE/1 " + fields);
        assertThat(r.events()).isEmpty();
        assertThat(r.reject()).isNotNull();
        assertThat(r.reject().reason()).isEqualTo(reason);
        assertThat(r.reject().detail()).contains(named);
        assertThat(r.reject().file()).isEqualTo("/var/log/k3s.log");
        assertThat(r.reject().line()).isEqualTo(7);
        assertThat(r.reject().excerpt()).startsWith("I1126 21:24:09.123456").hasSizeLessThanOrEqualTo(200);
    }

    @Test
    void unknownKeysAreIgnored() {
        assertThat(parse(Lines.NATIVE_SCHEDULED + " future_key=\"anything at all\" v2=1")
                        .events())
                .hasSize(1);
    }

    /** Whatever NativeLine writes, the parser reads back unchanged (random strings, fixed seed). */
    @Test
    void escapingRoundTripsThroughNativeLine() {
        Random rnd = new Random(20261126L);
        String pool =
                "aZ09._:/@+,- \"\\\n\r\t\u0000\u0007\u001b\u007f\u0085\u00e9\u4e2d\u2028\u2029\ufeff\uffff=\u00a0'`$";
        LineParser parser = new LineParser(ParserOptions.defaults());
        for (int i = 0; i < 3000; i++) {
            String pod = randomString(rnd, pool);
            String container = randomString(rnd, pool);
            String line = NativeLine.of(
                            Instant.ofEpochSecond(1_795_814_649L, rnd.nextInt(1_000_000) * 1000L), "ContainerStarted")
                    .field("ns", "default")
                    .field("pod", pod)
                    .field("uid", "u-" + i)
                    .field("host", "agent-1")
                    .field("component", "wasmorch-shim")
                    .field("container", container)
                    .toString();
            assertThat(line).doesNotContain("\n").doesNotContain("\r");
            ParseResult r = parser.parse(Lines.raw(line));
            assertThat(r.reject()).as(line).isNull();
            LifecycleEvent e = r.events().get(0);
            assertThat(e.pod()).isEqualTo(pod);
            assertThat(e.container()).isEqualTo(container);
        }
    }

    private static String randomString(Random rnd, String pool) {
        int len = 1 + rnd.nextInt(24);
        StringBuilder sb = new StringBuilder();
        while (sb.length() < len) {
            switch (rnd.nextInt(8)) {
                case 0 -> sb.appendCodePoint(0x1F300 + rnd.nextInt(0x300)); // astral: a surrogate pair
                case 1 -> sb.append((char) (0xD800 + rnd.nextInt(0x800))); // lone surrogate
                case 2 -> sb.appendCodePoint(rnd.nextInt(0x3000));
                default -> sb.append(pool.charAt(rnd.nextInt(pool.length())));
            }
        }
        return sb.toString();
    }
}
