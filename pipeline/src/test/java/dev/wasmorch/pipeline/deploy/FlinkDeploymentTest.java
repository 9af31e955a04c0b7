package dev.wasmorch.pipeline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The FlinkDeployment and the FlinkSessionJob of pipeline/deploy have the fields the Apache Flink Kubernetes Operator
 * needs (no Kubernetes cluster runs here; FlinkSessionClusterIT runs the same jar and arguments on a session cluster).
 */
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

    @Test
    void sessionJobRunsTheBatchAnalysisOnTheSessionCluster() throws Exception {
        List<JsonNode> docs = YAML.readerFor(JsonNode.class)
                .<JsonNode>readValues(
                        ROOT.resolve("pipeline/deploy/flinksessionjob.yaml").toFile())
                .readAll();
        assertThat(docs).extracting(d -> d.get("kind").asText()).containsExactly("FlinkDeployment", "FlinkSessionJob");
        JsonNode session = docs.get(0);
        JsonNode job = docs.get(1);
        // A session cluster is a FlinkDeployment without a job; the session job names it.
        assertThat(session.at("/spec/job").isMissingNode()).isTrue();
        assertThat(session.at("/spec/flinkVersion").asText()).isEqualTo("v2_0");
        assertThat(job.at("/spec/deploymentName").asText())
                .isEqualTo(session.at("/metadata/name").asText());
        assertThat(job.at("/metadata/namespace").asText())
                .isEqualTo(session.at("/metadata/namespace").asText());
        // The operator fetches a session job's jar itself: local:// only works in application mode.
        assertThat(job.at("/spec/job/jarURI").asText()).startsWith("https://").endsWith("/wasmorch-pipeline-flink.jar");
        assertThat(job.at("/spec/job/entryClass").asText()).isEqualTo("dev.wasmorch.pipeline.cli.WasmorchCli");
        List<String> args = YAML.convertValue(job.at("/spec/job/args"), List.class);
        assertThat(args).startsWith("analyze").contains("--logs", "--pods", "--out");
        // Inputs and outputs on the volume every JobManager and TaskManager pod mounts.
        String mount = session.at("/spec/podTemplate/spec/containers/0/volumeMounts/0/mountPath")
                .asText();
        for (String option : List.of("--logs", "--pods", "--out")) {
            assertThat(args.get(args.indexOf(option) + 1)).as(option).startsWith(mount + "/");
        }
        String parallelism = args.get(args.indexOf("--parallelism") + 1);
        assertThat(job.at("/spec/job/parallelism").asText()).isEqualTo(parallelism);
        assertThat(job.at("/spec/job/upgradeMode").asText()).isEqualTo("stateless");
        String readme = Files.readString(ROOT.resolve("pipeline/README.md"));
        assertThat(readme).contains("## Running on a Flink cluster").contains("deploy/flinksessionjob.yaml");
    }
}
