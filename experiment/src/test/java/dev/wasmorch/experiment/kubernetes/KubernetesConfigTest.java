package dev.wasmorch.experiment.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasmorch.experiment.model.Catalog;
import dev.wasmorch.experiment.model.Service;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line's settings, and the refusals that name the option at fault. */
class KubernetesConfigTest {

    private static final Catalog CATALOG =
            new Catalog(List.of(), Map.of("objects", new Service("objects", "OBJECTS_URL")));

    private static KubernetesConfig parse(String... args) {
        KubernetesOptions o = new KubernetesOptions();
        new CommandLine(o).parseArgs(args);
        return o.config(CATALOG, Path.of("out"));
    }

    @Test
    void theDefaultsAreTheStudysShapeOnTheProjectsImages() {
        KubernetesConfig c = parse();
        assertThat(c.namespace()).isEqualTo("wasmorch-lab");
        assertThat(KubernetesConfig.image(c.wasmImage(), "aes")).isEqualTo("docker.io/wasmorch/aes:wasm");
        assertThat(KubernetesConfig.image(c.containerImage(), "aes")).isEqualTo("docker.io/wasmorch/aes:native");
        assertThat(c.networkMode()).isEqualTo("host");
        assertThat(c.access()).isEqualTo(KubernetesConfig.Access.PORT_FORWARD);
        assertThat(c.podSnapshot()).isEqualTo(Path.of("out", "cluster-pods.json"));
        assertThat(c.runId()).matches("lab-[0-9a-z]+");
    }

    @Test
    void serviceUrlsAndNodeLogsAreParsed() {
        KubernetesConfig c = parse(
                "--service-url", "objects=http://objects.baas:8080",
                "--access", "service",
                "--node-log", "n1=cmd:ssh n1 journalctl -u k3s -o json");
        assertThat(c.services()).containsEntry("objects", new ServiceUrl("OBJECTS_URL", "http://objects.baas:8080"));
        assertThat(c.access()).isEqualTo(KubernetesConfig.Access.SERVICE);
        assertThat(c.nodeLogs()).singleElement().extracting(LogSource::name).isEqualTo("n1");
    }

    @Test
    void badValuesAreRefusedNamingWhatIsWrong() {
        assertThatThrownBy(() -> parse("--service-url", "cache=http://x")).hasMessageContaining("one of the catalog's");
        assertThatThrownBy(() -> parse("--service-url", "objects=file:///etc/passwd"))
                .hasMessageContaining("is not an http(s) URL");
        assertThatThrownBy(() -> parse("--access", "ingress")).hasMessageContaining("--access 'ingress'");
        assertThatThrownBy(() -> parse("--namespace", "Lab_1")).hasMessageContaining("namespace 'Lab_1'");
        assertThatThrownBy(() -> parse("--wasm-image", "docker.io/wasmorch/aes:wasm"))
                .hasMessageContaining("lacks {function}");
        assertThatThrownBy(() -> parse("--container-image", "registry:5000/wasmorch/{function}"))
                .hasMessageContaining("has no tag");
        assertThatThrownBy(() -> parse("--network-mode", "bridge")).hasMessageContaining("network mode 'bridge'");
        assertThatThrownBy(() -> parse("--wasm-port", "0")).hasMessageContaining("wasm port 0");
        assertThatThrownBy(() -> parse("--node-log", "a=file:/x", "--node-log", "a=file:/y"))
                .hasMessageContaining("share a name");
    }
}
