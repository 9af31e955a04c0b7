package dev.wasmorch.pipeline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The FlinkDeployment of pipeline/deploy has the fields the Apache Flink Kubernetes Operator needs (no cluster runs here). */
class FlinkDeploymentTest {

    static final Path ROOT = Path.of("..");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void flinkDeploymentHasTheOperatorFields() throws Exception {
        JsonNode d = YAML.readTree(
                ROOT.resolve("pipeline/deploy/flinkdeployment.yaml").toFile());
        assertThat(d.get("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
        assertThat(d.get("kind").asText()).isEqualTo("FlinkDeployment");
        JsonNode spec = d.get("spec");
        assertThat(spec.get("flinkVersion").asText()).isEqualTo("v2_0");
        assertThat(spec.at("/job/jarURI").asText()).endsWith("/wasmorch-pipeline-flink.jar");
        assertThat(spec.at("/job/parallelism").asInt()).isEqualTo(4);
        assertThat(spec.at("/job/upgradeMode").asText()).isEqualTo("last-state");
        List<String> args = YAML.convertValue(spec.at("/job/args"), List.class);
        assertThat(args).startsWith("stream").contains("--jdbc-url", "--logs", "--kube");
        assertThat(String.join(" ", args)).doesNotContainIgnoringCase("password");
        JsonNode conf = spec.get("flinkConfiguration");
        assertThat(conf.get("execution.checkpointing.interval").asText()).isEqualTo("10 s");
        assertThat(conf.get("execution.checkpointing.externalized-checkpoint-retention")
                        .asText())
                .isEqualTo("RETAIN_ON_CANCELLATION");
        assertThat(conf.has("execution.checkpointing.dir")).isTrue();
        assertThat(spec.at("/podTemplate/spec/containers/0/env/1/valueFrom/secretKeyRef/name")
                        .asText())
                .isEqualTo("wasmorch-jdbc");
        String readme = Files.readString(ROOT.resolve("pipeline/deploy/README.md"));
        assertThat(readme).contains("## Parallelism").contains("## Checkpoints and restarts");
    }
}
