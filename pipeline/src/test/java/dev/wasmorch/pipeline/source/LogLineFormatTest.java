package dev.wasmorch.pipeline.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.pipeline.model.RawLine;
import dev.wasmorch.pipeline.parse.LineParser;
import dev.wasmorch.pipeline.parse.ParseResult;
import dev.wasmorch.pipeline.parse.ParserOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The BulkFormat driven directly, as Flink's FileSourceSplitReader drives it. */
class LogLineFormatTest {

    static final String NATIVE = "WASMORCH-LIFECYCLE/1 ts=2026-11-26T21:24:09.123456Z event=PodSeen ns=default"
            + " pod=p-%d host=agent-1 component=kubelet";
    static final String NOISE = "Nov 26 21:24:09 agent-1 k3s[877]: I1126 21:24:09.120877     877 kubelet.go:2465]"
            + " \"SyncLoop (PLEG): event for pod\" pod=\"default/p\" event={\"ID\":\"x\",\"Type\":\"ContainerStarted\"}";

    @TempDir
    java.nio.file.Path dir;

    record Read(RawLine line, long skipCount) {}

    static List<Read> readAll(BulkFormat.Reader<RawLine> reader) throws IOException {
        List<Read> out = new ArrayList<>();
        BulkFormat.RecordIterator<RawLine> batch;
        while ((batch = reader.readBatch()) != null) {
            RecordAndPosition<RawLine> r;
            while ((r = batch.next()) != null) {
                assertThat(r.getOffset()).isEqualTo(CheckpointedPosition.NO_OFFSET);
                out.add(new Read(r.getRecord(), r.getRecordSkipCount()));
            }
            batch.releaseBatch();
        }
        reader.close();
        return out;
    }

    static FileSourceSplit split(java.nio.file.Path f) throws IOException {
        long size = Files.size(f);
        return new FileSourceSplit("s0", Path.fromLocalFile(f.toFile()), 0, size, 1_795_900_000_000L, size);
    }

    static List<RawLine> read(java.nio.file.Path f, int maxLineChars) throws IOException {
        return readAll(new LogLineFormat(maxLineChars).createReader(new Configuration(), split(f))).stream()
                .map(Read::line)
                .toList();
    }

    @Test
    void plainFileKeepsLinesOfInterestCountsAllAndHandlesCrlfAndNoFinalNewline() throws IOException {
        java.nio.file.Path f = dir.resolve("k3s.log");
        String text = NOISE + "\n" + NATIVE.formatted(1) + "\r\n" + "\n" + NOISE + "\n" + NATIVE.formatted(2);
        Files.writeString(f, text);
        List<RawLine> lines = read(f, 65536);
        String name = f.toAbsolutePath().toString();
        assertThat(lines)
                .containsExactly(
                        RawLine.of(name, 2, NATIVE.formatted(1), 1_795_900_000_000L),
                        RawLine.of(name, 5, NATIVE.formatted(2), 1_795_900_000_000L),
                        RawLine.endOf(name, 5, 1_795_900_000_000L));
    }

    @Test
    void emptyFileGivesOnlyItsEnd() throws IOException {
        java.nio.file.Path f = dir.resolve("empty.log");
        Files.writeString(f, "");
        assertThat(read(f, 65536))
                .containsExactly(RawLine.endOf(f.toAbsolutePath().toString(), 0, 1_795_900_000_000L));
    }

    @Test
    void gzipByNameAndByMagicIncludingConcatenatedMembers() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 30_000; i++) {
            sb.append(i % 100 == 0 ? NATIVE.formatted(i) : NOISE).append('\n');
        }
        byte[] part = sb.toString().getBytes(StandardCharsets.UTF_8);
        for (String name : new String[] {"syslog.2.gz", "rotated-without-suffix"}) {
            java.nio.file.Path f = dir.resolve(name);
            try (OutputStream out = Files.newOutputStream(f)) {
                for (int member = 0; member < 2; member++) {
                    GZIPOutputStream gz = new GZIPOutputStream(out);
                    gz.write(part);
                    gz.finish();
                }
            }
            List<RawLine> lines = read(f, 65536);
            assertThat(lines).hasSize(601);
            assertThat(lines.get(0).line()).isEqualTo(100);
            assertThat(lines.get(300).line()).isEqualTo(30_100);
            assertThat(lines.get(600).endOfFile()).isTrue();
            assertThat(lines.get(600).linesRead()).isEqualTo(60_000);
        }
    }

    @Test
    void megabyteLinesCostAPrefixAndAreRejectedWhenOfInterest() throws IOException {
        java.nio.file.Path f = dir.resolve("huge.log");
        String huge = NATIVE.formatted(1) + " msg=\"" + "x".repeat(3 << 20) + "\"";
        String hugeNoise = "y".repeat(2 << 20);
        // A marker far inside a long line, straddling where the buffer refills.
        String hugeLateMarker = "z".repeat((1 << 20) - 7) + NATIVE.formatted(3) + "z".repeat(100);
        Files.writeString(
                f, NOISE + "\n" + huge + "\n" + hugeNoise + "\n" + NATIVE.formatted(2) + "\n" + hugeLateMarker + "\n");
        List<RawLine> lines = read(f, 1000);
        assertThat(lines).extracting(RawLine::line).containsExactly(2L, 4L, 5L, 5L);
        assertThat(lines.get(0).text()).hasSize(3006).startsWith("WASMORCH-LIFECYCLE/1");
        assertThat(lines.get(1).text()).isEqualTo(NATIVE.formatted(2));
        assertThat(lines.get(2).text()).hasSize(3006).startsWith("zzz");
        LineParser parser = new LineParser(new ParserOptions(null, java.time.ZoneOffset.UTC, 1000));
        ParseResult r = parser.parse(lines.get(0));
        assertThat(r.reject().reason()).isEqualTo("line_too_long");
        assertThat(parser.parse(lines.get(2)).reject().reason()).isEqualTo("line_too_long");
        assertThat(parser.parse(lines.get(1)).events()).hasSize(1);
    }

    @Test
    void invalidUtf8ReachesTheParserVisibly() throws IOException {
        java.nio.file.Path f = dir.resolve("latin1.log");
        byte[] line = (NATIVE.formatted(1) + " msg=\"caf\u00e9\"\n").getBytes(StandardCharsets.ISO_8859_1);
        Files.write(f, line);
        RawLine raw = read(f, 65536).get(0);
        ParseResult r = new LineParser(ParserOptions.defaults()).parse(raw);
        assertThat(r.reject().reason()).isEqualTo("invalid_utf8");
        assertThat(r.reject().detail()).contains("0xe9");
    }

    /** Restored at any record, the reader emits exactly the records after it. */
    @Test
    void restoresFromEveryCheckpointedPositionWithoutLossOrRepeat() throws IOException {
        java.nio.file.Path f = dir.resolve("k3s.log.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            for (int i = 1; i <= 50_000; i++) {
                out.write(((i % 20 == 0 ? NATIVE.formatted(i) : NOISE) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        LogLineFormat format = new LogLineFormat(65536);
        List<Read> all = readAll(format.createReader(new Configuration(), split(f)));
        assertThat(all).hasSize(2501);
        for (int k = 0; k < all.size(); k++) {
            assertThat(all.get(k).skipCount()).isEqualTo(k + 1);
        }
        for (int k : new int[] {0, 1, 1023, 1024, 1025, 2047, 2499, 2500}) {
            FileSourceSplit restored = split(f).updateWithCheckpointedPosition(new CheckpointedPosition(
                    CheckpointedPosition.NO_OFFSET, all.get(k).skipCount()));
            List<Read> rest = readAll(format.restoreReader(new Configuration(), restored));
            assertThat(rest).as("restored after record %d", k).isEqualTo(all.subList(k + 1, all.size()));
        }
    }
}
