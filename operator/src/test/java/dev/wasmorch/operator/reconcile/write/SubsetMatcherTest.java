package dev.wasmorch.operator.reconcile.write;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class SubsetMatcherTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void serverDefaultsAreNotDrift() throws Exception {
        assertThat(SubsetMatcher.contains(
                        json(
                                "{\"spec\":{\"replicas\":1,\"strategy\":{\"type\":\"RollingUpdate\"},\"ports\":[{\"port\":80,\"targetPort\":80}]}}"),
                        json("{\"spec\":{\"replicas\":1,\"ports\":[{\"port\":80}]}}")))
                .isTrue();
    }

    @Test
    void changedRemovedOrAddedListElementsAreDrift() throws Exception {
        JsonNode desired = json("{\"spec\":{\"image\":\"a:1\",\"ports\":[{\"port\":80}]}}");
        assertThat(SubsetMatcher.contains(json("{\"spec\":{\"image\":\"b:1\",\"ports\":[{\"port\":80}]}}"), desired))
                .isFalse();
        assertThat(SubsetMatcher.contains(json("{\"spec\":{\"ports\":[{\"port\":80}]}}"), desired))
                .isFalse();
        assertThat(SubsetMatcher.contains(
                        json("{\"spec\":{\"image\":\"a:1\",\"ports\":[{\"port\":80},{\"port\":81}]}}"), desired))
                .isFalse();
        assertThat(SubsetMatcher.contains(json("{\"v\":\"1\"}"), json("{\"v\":1}")))
                .isFalse();
        assertThat(SubsetMatcher.contains(json("{\"v\":1.0}"), json("{\"v\":1}")))
                .isTrue();
    }
}
