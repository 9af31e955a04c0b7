package dev.wasmorch.contract.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The keys as port-registry.md spells them. */
class PortKeysTest {

    @Test
    void keysAreTheDocumentedOnes() {
        assertThat(PortKeys.byContainerId("4b1c")).isEqualTo("wasmorch:port:cid:4b1c");
        assertThat(PortKeys.byPod("default", "hello-7d9c5b8f6-x2x9k", "hello"))
                .isEqualTo("wasmorch:port:pod:default/hello-7d9c5b8f6-x2x9k/hello");
        assertThat(PortKeys.podContainers("default", "hello-7d9c5b8f6-x2x9k"))
                .isEqualTo("wasmorch:ports:pod:default/hello-7d9c5b8f6-x2x9k");
    }
}
