package dev.wasmorch.pipeline.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.pipeline.model.RawLine;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** klog headers carry no year: option, then journald record, then file date (month rule). */
class YearAndZoneTest {

    private static final String BOUND_DEC = "I1231 23:59:58.500000       1 schedule_one.go:314]"
            + " \"Successfully bound pod to node\" pod=\"default/p\" node=\"n\" evaluatedNodes=1 feasibleNodes=1";

    private static Instant time(ParserOptions o, String text, long mtime) {
        ParseResult r = new LineParser(o).parse(RawLine.of("f", 1, text, mtime));
        assertThat(r.reject()).isNull();
        return r.events().get(0).time();
    }

    @Test
    void fileDateGivesTheYearAndALaterMonthMeansTheYearBefore() {
        long mtimeDec = Instant.parse("2026-12-31T23:59:59Z").toEpochMilli();
        long mtimeJan = Instant.parse("2027-01-01T00:10:00Z").toEpochMilli();
        assertThat(time(ParserOptions.defaults(), BOUND_DEC, mtimeDec))
                .isEqualTo(Instant.parse("2026-12-31T23:59:58.5Z"));
        assertThat(time(ParserOptions.defaults(), BOUND_DEC, mtimeJan))
                .isEqualTo(Instant.parse("2026-12-31T23:59:58.5Z"));
    }

    @Test
    void optionBeatsRecordBeatsFile() {
        long mtime = Instant.parse("2030-06-01T00:00:00Z").toEpochMilli();
        String json = "{\"__REALTIME_TIMESTAMP\":\"1798761599000000\",\"MESSAGE\":\"" + BOUND_DEC.replace("\"", "\\\"")
                + "\"}";
        // 1798761599 s = 2026-12-31T23:59:59Z
        assertThat(time(ParserOptions.defaults(), json, mtime)).isEqualTo(Instant.parse("2026-12-31T23:59:58.5Z"));
        assertThat(time(new ParserOptions(2024, ZoneOffset.UTC, 65536), json, mtime))
                .isEqualTo(Instant.parse("2024-12-31T23:59:58.5Z"));
        assertThat(time(ParserOptions.defaults(), BOUND_DEC, mtime)).isEqualTo(Instant.parse("2029-12-31T23:59:58.5Z"));
    }

    @Test
    void klogZoneAppliesToHeaderTimes() {
        long mtime = Instant.parse("2026-12-31T12:00:00Z").toEpochMilli();
        assertThat(time(new ParserOptions(null, ZoneId.of("Europe/Berlin"), 65536), BOUND_DEC, mtime))
                .isEqualTo(Instant.parse("2026-12-31T22:59:58.5Z"));
    }

    @Test
    void noYearSourceOrAnImpossibleDateIsABadTimestamp() {
        ParseResult r = new LineParser(ParserOptions.defaults()).parse(RawLine.of("f", 1, BOUND_DEC, 0));
        assertThat(r.reject().reason()).isEqualTo("bad_timestamp");
        assertThat(r.reject().detail()).contains("year");
        ParseResult feb29 = new LineParser(new ParserOptions(2026, ZoneOffset.UTC, 65536))
                .parse(RawLine.of("f", 1, BOUND_DEC.replace("I1231", "I0229"), 0));
        assertThat(feb29.reject().reason()).isEqualTo("bad_timestamp");
        assertThat(feb29.reject().detail()).contains("klog header");
        ParseResult noHeader = new LineParser(ParserOptions.defaults())
                .parse(RawLine.of("f", 1, BOUND_DEC.substring(BOUND_DEC.indexOf('"')), Lines.MTIME));
        assertThat(noHeader.reject().reason()).isEqualTo("bad_timestamp");
        assertThat(noHeader.reject().detail()).contains("no klog header");
    }
}
