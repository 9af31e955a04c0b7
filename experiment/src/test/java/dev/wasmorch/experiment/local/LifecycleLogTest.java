package dev.wasmorch.experiment.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasmorch.contract.lifecycle.NativeLine;
import dev.wasmorch.experiment.model.PodRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LifecycleLogTest {

    @Test
    void linesAreTheContractsWithMicrosecondTimestamps(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("lifecycle/local-node.log");
        PodRef pod = new PodRef("wasmorch-lab", "aes-wasm-i-1", "6f0a3c1e-0d4b-4a53-9c1e-2b1f5e7d9a10");
        try (LifecycleLog log = new LifecycleLog(file, "lab-node")) {
            log.pod(1_764_883_449_123_456L, "PodCreated", pod, "wasmorch");
            log.container(1_764_883_449_223_457L, "ContainerStarted", pod, "wasmorch", "aes", "c1d2");
        }

        List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(0))
                .isEqualTo("WASMORCH-LIFECYCLE/1 ts=2025-12-04T21:24:09.123456Z event=PodCreated ns=wasmorch-lab"
                        + " pod=aes-wasm-i-1 uid=6f0a3c1e-0d4b-4a53-9c1e-2b1f5e7d9a10 node=lab-node host=lab-node"
                        + " component=wasmorch-lab handler=wasmorch");
        Map<String, String> started = NativeLine.parse(lines.get(1), NativeLine.MARKER.length());
        assertThat(started)
                .containsEntry("ts", "2025-12-04T21:24:09.223457Z")
                .containsEntry("event", "ContainerStarted")
                .containsEntry("container", "aes")
                .containsEntry("cid", "c1d2")
                .containsEntry("host", "lab-node");
    }
}
