package dev.wasmorch.pipeline.demo;

import dev.wasmorch.pipeline.model.PodLifecycle;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.zip.GZIPOutputStream;

/**
 * One host's log file. Events arrive per pod, out of time order across pods; the sink holds them in
 * a small time-ordered window and writes them once no later pod can precede them, so files are in
 * time order like real logs while memory stays bounded by the pods in flight. Between events it
 * writes chatter so that noise makes up the configured share of the file's lines.
 */
final class LogSink implements Closeable {

    /** What a written line is, for the counts the generator reports. */
    enum Kind {
        LIFECYCLE,
        MALFORMED
    }

    private record Entry(Instant hostTime, long seq, String source, String message, Kind kind, PodLifecycle about) {}

    private static final String LIFECYCLE_SOURCE = "lifecycle.go:57";

    private final Path file;
    private final String host;
    private final Duration skew;
    private final LineFormat format;
    private final NoiseSource noise;
    private final double noisePerLine;
    private final Writer out;
    private final PriorityQueue<Entry> window = new PriorityQueue<>(
            (a, b) -> a.hostTime.equals(b.hostTime) ? Long.compare(a.seq, b.seq) : a.hostTime.compareTo(b.hostTime));
    private long seq;
    private double noiseCredit;
    private Instant lastWritten;
    private long lifecycleLines;
    private long malformedLines;
    private long noiseLines;
    private int peakWindow;

    LogSink(
            Path file,
            String host,
            Duration skew,
            LineFormat format,
            NoiseSource noise,
            double noiseRatio,
            boolean gzip)
            throws IOException {
        this.file = file;
        this.host = host;
        this.skew = skew;
        this.format = format;
        this.noise = noise;
        this.noisePerLine = noiseRatio / (1 - noiseRatio);
        OutputStream raw = Files.newOutputStream(file);
        this.out = new BufferedWriter(
                new OutputStreamWriter(gzip ? new GZIPOutputStream(raw, 1 << 16) : raw, StandardCharsets.UTF_8),
                1 << 16);
    }

    String host() {
        return host;
    }

    Path file() {
        return file;
    }

    /** The host's clock reading at a true instant. */
    Instant hostTime(Instant trueTime) {
        return trueTime.plus(skew);
    }

    /**
     * Queues a line stamped with the host's clock; it is written when the window passes it, after
     * chatter about the same pod.
     */
    void add(Instant hostTime, String message, Kind kind, PodLifecycle about) {
        window.add(new Entry(hostTime, seq++, LIFECYCLE_SOURCE, message, kind, about));
        peakWindow = Math.max(peakWindow, window.size());
    }

    /** Writes every queued line logged (by the host's clock) before the true instant given. */
    void flushBefore(Instant trueTime) throws IOException {
        Instant limit = hostTime(trueTime);
        while (!window.isEmpty() && window.peek().hostTime.isBefore(limit)) {
            write(window.poll());
        }
    }

    private void write(Entry e) throws IOException {
        Instant previous = lastWritten == null ? e.hostTime.minusSeconds(1) : lastWritten;
        long gapNanos = Math.max(0, Duration.between(previous, e.hostTime).toNanos());
        noiseCredit += noisePerLine;
        int count = (int) noiseCredit;
        noiseCredit -= count;
        noise.mention(e.about.namespace(), e.about.pod(), e.about.uid());
        for (int k = 1; k <= count; k++) {
            // Spread chatter evenly over the gap, on whole microseconds like klog's stamps.
            long offsetMicros = gapNanos * k / (count + 1) / 1000;
            Instant t = previous.plusNanos(offsetMicros * 1000);
            NoiseSource.Noise n = noise.next(t);
            writeLine(format.line(t, n.severity(), n.source(), n.message()));
            noiseLines++;
        }
        writeLine(format.line(e.hostTime, 'I', e.source, e.message));
        if (e.kind == Kind.MALFORMED) {
            malformedLines++;
        } else {
            lifecycleLines++;
        }
        lastWritten = e.hostTime;
    }

    private void writeLine(String line) throws IOException {
        out.write(line);
        out.write('\n');
    }

    long lifecycleLines() {
        return lifecycleLines;
    }

    long malformedLines() {
        return malformedLines;
    }

    long noiseLines() {
        return noiseLines;
    }

    /** The most lines ever held back at once: bounded by the pods in flight, not by the run's size. */
    int peakWindow() {
        return peakWindow;
    }

    /** Writes what is still queued and closes the file. */
    @Override
    public void close() throws IOException {
        try {
            while (!window.isEmpty()) {
                write(window.poll());
            }
        } finally {
            out.close();
        }
    }
}
