package dev.wasmorch.pipeline.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.StringJoiner;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class InterestFilterTest {

    private static final String[] ALL_PATTERNS = Stream.concat(
                    Arrays.stream(InterestFilter.TEXT_MARKERS), Arrays.stream(InterestFilter.BYTE_MARKERS))
            .toArray(String[]::new);

    private static boolean filter(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return InterestFilter.mayBeOfInterest(b, 0, b.length);
    }

    @Test
    void findsEveryMarkerAnywhere() {
        for (String m : InterestFilter.TEXT_MARKERS) {
            assertThat(filter(m)).as(m).isTrue();
            assertThat(filter("xx " + m)).isTrue();
            assertThat(filter(m + " yy")).isTrue();
            assertThat(filter("\"" + m + "\"")).isTrue();
            assertThat(filter(m.substring(1))).isFalse();
            assertThat(filter(m.substring(0, m.length() - 1))).isFalse();
        }
        assertThat(filter("{\"MESSAGE\":[73,49]}")).isFalse();
        assertThat(filter("{\"MESSAGE\":\"hello\"}")).isFalse();
    }

    /** journald's byte array of a message is of interest exactly when the message holds a marker. */
    @Test
    void aMessageWrittenAsBytesIsOfInterestWhenItsTextIs() {
        Random rnd = new Random(11);
        for (int i = 0; i < 5000; i++) {
            StringBuilder text = new StringBuilder();
            for (int k = rnd.nextInt(4); k >= 0; k--) {
                String m = InterestFilter.TEXT_MARKERS[rnd.nextInt(InterestFilter.TEXT_MARKERS.length)];
                int a = rnd.nextInt(m.length());
                text.append(rnd.nextInt(4) == 0 ? m : m.substring(a, a + rnd.nextInt(m.length() - a + 1)));
                // now and then a byte that is not ASCII, what makes journald write the bytes
                text.append(rnd.nextInt(8) == 0 ? '\u00e9' : (char) (' ' + rnd.nextInt(95)));
            }
            String sep = rnd.nextBoolean() ? "," : ", ";
            StringJoiner bytes = new StringJoiner(sep, "[", "]");
            for (byte b : text.toString().getBytes(StandardCharsets.UTF_8)) {
                bytes.add(Integer.toString(b & 0xff));
            }
            String record = "{\"__REALTIME_TIMESTAMP\":\"1795814649124001\",\"MESSAGE\":" + bytes + "}";
            boolean expected = Arrays.stream(InterestFilter.TEXT_MARKERS).anyMatch(text.toString()::contains);
            assertThat(filter(record)).as(record).isEqualTo(expected);
            assertThat(InterestFilter.mayBeOfInterest(record)).as(record).isEqualTo(expected);
        }
    }

    @Test
    void respectsTheRange() {
        byte[] b = ("noise " + InterestFilter.TEXT_MARKERS[0] + " more").getBytes(StandardCharsets.US_ASCII);
        assertThat(InterestFilter.indexOf(b, 0, b.length)).isEqualTo(6);
        assertThat(InterestFilter.mayBeOfInterest(b, 0, 6 + 19)).isFalse();
        assertThat(InterestFilter.mayBeOfInterest(b, 7, b.length)).isFalse();
    }

    /** Against String.contains on text made of marker pieces, the worst case for a skip search. */
    @Test
    void agreesWithContainsOnRandomMarkerFragments() {
        Random rnd = new Random(3);
        for (int i = 0; i < 20000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = rnd.nextInt(6); k >= 0; k--) {
                String m = ALL_PATTERNS[rnd.nextInt(ALL_PATTERNS.length)];
                int a = rnd.nextInt(m.length());
                int z = a + rnd.nextInt(m.length() - a + 1);
                sb.append(rnd.nextInt(10) == 0 ? m : m.substring(a, z));
                if (rnd.nextBoolean()) {
                    sb.append((char) (' ' + rnd.nextInt(95)));
                }
            }
            String s = sb.toString();
            boolean expected = false;
            for (String m : ALL_PATTERNS) {
                expected |= s.contains(m);
            }
            assertThat(filter(s)).as(s).isEqualTo(expected);
            assertThat(InterestFilter.mayBeOfInterest(s)).as(s).isEqualTo(expected);
        }
    }

    @Test
    void findsTheLeftmostMarkerExactlyAsANaiveSearchDoes() {
        Random random = new Random(7);
        String[] pieces = {
            "WASMORCH-LIFECYCLE/1",
            "WASMORCH-LIFECYC",
            "===K3S-CUSTOM-998===",
            "Event occurred",
            "Event occurre",
            "Observed pod startup duration",
            "Successfully bound pod to node",
            InterestFilter.BYTE_MARKERS[0],
            InterestFilter.BYTE_MARKERS[1].substring(0, 20),
            "87,65,",
            "ev",
            "en",
            "t ",
            " o",
            "Ob",
            "Su",
            "==",
            "ss",
            "x",
            "\u00e9",
            "S-"
        };
        for (int round = 0; round < 20_000; round++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(8);
            for (int k = 0; k < n; k++) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
            int naive = -1;
            for (int start = 0; start < b.length && naive < 0; start++) {
                for (String m : ALL_PATTERNS) {
                    byte[] p = m.getBytes(StandardCharsets.US_ASCII);
                    if (start + p.length <= b.length && Arrays.equals(b, start, start + p.length, p, 0, p.length)) {
                        naive = start;
                        break;
                    }
                }
            }
            assertThat(InterestFilter.indexOf(b, 0, b.length)).as(sb.toString()).isEqualTo(naive);
        }
    }
}
