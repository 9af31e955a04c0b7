package dev.wasmorch.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.junit.jupiter.api.Test;

/**
 * Maven's test class path holds flink-rpc-akka-loader, not its inner jar: there the loader must
 * step aside so that Flink's own loader runs. The CLI's class path, where it loads Pekko itself, is
 * checked by bin/test (the demo's PekkoRpcService comes from the class-data archive).
 */
class ClassPathRpcSystemLoaderTest {

    @Test
    void withoutTheRpcJarOnTheClassPathItFailsAndFlinkLoadsItsOwn() throws Exception {
        assertThat(getClass().getResource("/org/apache/flink/runtime/rpc/pekko/PekkoRpcSystem.class"))
                .as("the test class path has no Pekko RPC system of its own")
                .isNull();
        assertThatThrownBy(() -> new ClassPathRpcSystemLoader().loadRpcSystem(new Configuration()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no RPC system on the class path");
        try (RpcSystem rpc = RpcSystem.load(new Configuration())) {
            assertThat(rpc).isNotNull();
        }
    }
}
