package dev.wasmorch.pipeline.bench;

import dev.wasmorch.contract.lifecycle.NativeLine;
import dev.wasmorch.pipeline.model.RawLine;
import dev.wasmorch.pipeline.parse.LineParser;
import dev.wasmorch.pipeline.parse.ParseResult;
import dev.wasmorch.pipeline.parse.ParserOptions;
import dev.wasmorch.pipeline.source.LogLineFormat;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Random;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.RecordAndPosition;

/**
 * Benchmark (not a test): lines/s of the log reader + byte filter + parser against
 * {@code grep -F -c WASMORCH-LIFECYCLE/1} on the same generated K3s-like log (5 M lines, 1 %
 * native lifecycle lines). Usage: {@code ReaderBench [lines] [file]}; prints a Markdown table.
 */
public final class ReaderBench {

    private static final int RUNS = 3;

    public static void main(String[] args) throws Exception {
        long lines = args.length > 0 ? Long.parseLong(args[0]) : 5_000_000L;
        Path file = args.length > 1 ? Path.of(args[1]) : Files.createTempFile("wasmorch-bench-", ".log");
        System.out.printf("Generating %,d lines into %s ...%n", lines, file);
        long expected = generate(file, lines);
        long size = Files.size(file);
        System.out.printf("Generated %.0f MB, %,d lifecycle lines%n", size / 1048576.0, expected);

        double best = Double.MAX_VALUE;
        for (int run = 1; run <= RUNS; run++) {
            long t0 = System.nanoTime();
            long events = readAndParse(file, size);
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("  run %d: reader+filter+parser %.2f s, %,d events%n", run, s, events);
            if (events != expected) {
                throw new IllegalStateException("expected " + expected + " events, got " + events);
            }
            best = Math.min(best, s);
        }
        double grepBest = Double.MAX_VALUE;
        for (int run = 1; run <= RUNS; run++) {
            long t0 = System.nanoTime();
            long count = grepCount(file);
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("  run %d: grep -F -c %.2f s, %,d lines%n", run, s, count);
            if (count != expected) {
                throw new IllegalStateException("grep counted " + count + ", expected " + expected);
            }
            grepBest = Math.min(grepBest, s);
        }
        System.out.println();
        System.out.println("| what | lines | best of " + RUNS + " (s) | lines/s | MB/s |");
        System.out.println("|---|---:|---:|---:|---:|");
        row("LogLineFormat reader + InterestFilter + LineParser", lines, best, size);
        row("`grep -F -c WASMORCH-LIFECYCLE/1`", lines, grepBest, size);
        System.out.printf(Locale.ROOT, "%nreader/grep throughput ratio: %.2f (goal >= 0.25)%n", grepBest / best);
        if (args.length < 2) {
            Files.delete(file);
        }
    }

    private static void row(String what, long lines, double s, long size) {
        System.out.printf(
                Locale.ROOT, "| %s | %,d | %.2f | %,.0f | %.0f |%n", what, lines, s, lines / s, size / 1048576.0 / s);
    }

    private static long readAndParse(Path file, long size) throws IOException {
        FileSourceSplit split = new FileSourceSplit(
                "bench",
                org.apache.flink.core.fs.Path.fromLocalFile(file.toFile()),
                0,
                size,
                Files.getLastModifiedTime(file).toMillis(),
                size);
        LineParser parser = new LineParser(ParserOptions.defaults());
        long events = 0;
        try (BulkFormat.Reader<RawLine> reader =
                new LogLineFormat(ParserOptions.DEFAULT_MAX_LINE_CHARS).createReader(new Configuration(), split)) {
            BulkFormat.RecordIterator<RawLine> batch;
            while ((batch = reader.readBatch()) != null) {
                RecordAndPosition<RawLine> r;
                while ((r = batch.next()) != null) {
                    ParseResult result = parser.parse(r.getRecord());
                    if (result.reject() != null) {
                        throw new IllegalStateException("unexpected reject " + result.reject());
                    }
                    events += result.events().size();
                }
                batch.releaseBatch();
            }
        }
        return events;
    }

    private static long grepCount(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("grep", "-F", "-c", NativeLine.MARKER, file.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("grep failed: " + out);
        }
        return Long.parseLong(out);
    }

    /** K3s-like journald text: kubelet, containerd, apiserver traces; 1 % native events. */
    static long generate(Path file, long lines) throws IOException {
        Random rnd = new Random(1);
        String[] events = {
            "PodCreated", "PodScheduled", "PodSeen", "SandboxReady", "ContainerCreated", "ContainerStarted", "PodReady"
        };
        long lifecycle = 0;
        Instant t = Instant.parse("2026-11-26T21:00:00Z");
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (long i = 0; i < lines; i++) {
                t = t.plusNanos(200_000 + rnd.nextInt(400_000));
                String clock = String.format(Locale.ROOT, "%tH:%<tM:%<tS", java.util.Date.from(t));
                String micros = String.format(Locale.ROOT, "%06d", t.getNano() / 1000);
                String host = rnd.nextBoolean() ? "agent-1" : "server-1";
                String pod = "aes-7d9c5b8f6-" + Long.toString(36 * 36 * 36 + rnd.nextInt(40000), 36);
                String prefix = "Nov 26 " + clock + " " + host + " k3s[1234]: ";
                String klog = "I1126 " + clock + "." + micros + "    1234 ";
                String line;
                if (i % 100 == 50) {
                    lifecycle++;
                    line = prefix + klog + "lifecycle.go:57] "
                            + NativeLine.of(t, events[rnd.nextInt(events.length)])
                                    .field("ns", "default")
                                    .field("pod", pod)
                                    .field("uid", java.util.UUID.randomUUID().toString())
                                    .field("node", "agent-1")
                                    .field("host", host)
                                    .field("component", "kubelet");
                } else {
                    line = switch (rnd.nextInt(5)) {
                        case 0 ->
                            prefix + klog + "kubelet.go:2465] \"SyncLoop (PLEG): event for pod\" pod=\"default/"
                                    + pod
                                    + "\" event={\"ID\":\"6f0a3c1e-0d4b-4a53-9c1e-2b1f5e7d9a10\",\"Type\":\"ContainerStarted\","
                                    + "\"Data\":\"9782e0cf6742898144c14978eabdbed4af963d2f8eb9d857d4832d98986cf361\"}";
                        case 1 ->
                            prefix + "time=\"2026-11-26T" + clock + "." + micros + "000Z\" level=info"
                                    + " msg=\"StartContainer for \\\"6eb6689dd09067d0c87a2ce1986ce37fc20a97672270ca4ff70089371bb0aab1\\\""
                                    + " returns successfully\"";
                        case 2 ->
                            prefix + klog
                                    + "reconciler_common.go:251] \"operationExecutor.VerifyControllerAttachedVolume"
                                    + " started for volume \\\"kube-api-access-lm9mc\\\"\" pod=\"default/" + pod + "\"";
                        case 3 ->
                            prefix + klog + "trace.go:236] Trace[" + rnd.nextInt(1 << 30) + "]: \"Update\""
                                    + " accept:application/vnd.kubernetes.protobuf, */*,audit-id:3f1c,client:127.0.0.1,"
                                    + "api-group:coordination.k8s.io,api-version:v1,name:" + host
                                    + ",subresource:,namespace:"
                                    + "kube-node-lease,protocol:HTTP/2.0,resource:leases,scope:resource,url:/apis/coordination.k8s.io"
                                    + "/v1/namespaces/kube-node-lease/leases/" + host
                                    + ",user-agent:k3s/v1.31.4+k3s1 (linux/amd64)"
                                    + ",verb:PUT (26-Nov-2026 " + clock + ".000) (total time: 513ms):";
                        default ->
                            prefix + klog + "server.go:177] \"Pod update broadcasted\" podUID=\""
                                    + java.util.UUID.randomUUID() + "\" type=\"MODIFIED\" source=\"api\"";
                    };
                }
                w.write(line);
                w.write('\n');
            }
        }
        return lifecycle;
    }

    private ReaderBench() {}
}
