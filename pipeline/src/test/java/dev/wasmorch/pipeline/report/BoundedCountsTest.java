package dev.wasmorch.pipeline.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BoundedCountsTest {

    @Test
    void labelsPastTheBoundAreCountedTogether() {
        BoundedCounts c = new BoundedCounts(2);
        assertThat(c.add("a")).isEqualTo("a");
        c.add("b");
        assertThat(c.add("c")).isEqualTo(BoundedCounts.OTHER);
        c.add("d");
        c.add("a");
        assertThat(c.asMap())
                .containsEntry("a", 2L)
                .containsEntry("b", 1L)
                .containsEntry(BoundedCounts.OTHER, 2L)
                .hasSize(3);
    }
}
