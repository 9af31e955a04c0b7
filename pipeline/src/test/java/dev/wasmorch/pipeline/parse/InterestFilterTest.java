package dev.wasmorch.pipeline.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InterestFilterTest {

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
        assertThat(filter("{\"MESSAGE\":[73,49]}")).isTrue();
        assertThat(filter("{ \"MESSAGE\" : [73,49] }")).isTrue();
        assertThat(filter("{\"MESSAGE\":\"hello\"}")).isFalse();
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
        String[] all = {
            "WASMORCH-LIFECYCLE/1",
            "K3S-CUSTOM-998",
            "Event occurred",
            "Observed pod startup duration",
            "Successfully bound pod to node",
            "\"MESSAGE\":[",
            "\"MESSAGE\" : ["
        };
        for (int i = 0; i < 20000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = rnd.nextInt(6); k >= 0; k--) {
                String m = all[rnd.nextInt(all.length)];
                int a = rnd.nextInt(m.length());
                int z = a + rnd.nextInt(m.length() - a + 1);
                sb.append(rnd.nextInt(10) == 0 ? m : m.substring(a, z));
                if (rnd.nextBoolean()) {
                    sb.append((char) (' ' + rnd.nextInt(95)));
                }
            }
            String s = sb.toString();
            boolean expected = false;
            for (String m : all) {
                expected |= s.contains(m);
            }
            assertThat(filter(s)).as(s).isEqualTo(expected);
            assertThat(InterestFilter.mayBeOfInterest(s)).as(s).isEqualTo(expected);
        }
    }

    @org.junit.jupiter.api.Test
    void findsTheLeftmostMarkerExactlyAsANaiveSearchDoes() {
        java.util.Random random = new java.util.Random(7);
        String[] pieces = {
            "WASMORCH-LIFECYCLE/1",
            "WASMORCH-LIFECYC",
            "===K3S-CUSTOM-998===",
            "Event occurred",
            "Event occurre",
            "Observed pod startup duration",
            "Successfully bound pod to node",
            "\"MESSAGE\":[",
            "\"MESSAGE\" : [",
            "\"MESSAGE\":",
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
            byte[] b = sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            int naive = -1;
            for (int start = 0; start < b.length && naive < 0; start++) {
                for (String m : new String[] {
                    "WASMORCH-LIFECYCLE/1",
                    "K3S-CUSTOM-998",
                    "Event occurred",
                    "Observed pod startup duration",
                    "Successfully bound pod to node",
                    "\"MESSAGE\":[",
                    "\"MESSAGE\" : ["
                }) {
                    byte[] p = m.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    if (start + p.length <= b.length
                            && java.util.Arrays.equals(b, start, start + p.length, p, 0, p.length)) {
                        naive = start;
                        break;
                    }
                }
            }
            org.assertj.core.api.Assertions.assertThat(InterestFilter.indexOf(b, 0, b.length))
                    .as(sb.toString())
                    .isEqualTo(naive);
        }
    }
}
