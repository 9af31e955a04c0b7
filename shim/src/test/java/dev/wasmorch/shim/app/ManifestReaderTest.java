package dev.wasmorch.shim.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.wasmorch.shim.task.WorkloadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {

    @TempDir
    Path dir;

    @BeforeEach
    void modules() throws IOException {
        Files.write(dir.resolve("hello.wasm"), new byte[] {0});
        Files.write(dir.resolve("api.wasm"), new byte[] {0});
        Files.createDirectories(dir.resolve("assets"));
    }

    @Test
    void readsVersion1() throws Exception {
        write("""
                spin_version = "1"
                name = "hello-v1"
                trigger = { type = "http", base = "/base" }
                version = "1.0.0"

                [[component]]
                id = "hello"
                source = "hello.wasm"
                allowed_http_hosts = ["example.com"]
                environment = { GREETING = "hi" }
                files = [ { source = "assets", destination = "/assets" } ]
                [component.trigger]
                route = "/hello"
                executor = { type = "wagi" }

                [[component]]
                id = "api"
                source = "api.wasm"
                [component.trigger]
                route = "/api/..."
                executor = { type = "wagi", entrypoint = "run", argv = "${SCRIPT_NAME}" }
                """);
        SpinManifest m = ManifestReader.read(dir);
        assertThat(m.version()).isEqualTo(1);
        assertThat(m.name()).isEqualTo("hello-v1");
        assertThat(m.components()).containsOnlyKeys("hello", "api");
        var hello = m.components().get("hello");
        assertThat(hello.source()).isEqualTo(dir.resolve("hello.wasm"));
        assertThat(hello.environment()).containsEntry("GREETING", "hi");
        assertThat(hello.allowedOutboundHosts()).containsExactly("example.com");
        assertThat(hello.files()).containsExactly(new SpinManifest.FileMount(dir.resolve("assets"), "/assets", null));
        assertThat(m.routes())
                .extracting(SpinManifest.HttpRoute::route)
                .containsExactly("/base/hello", "/base/api/...");
        assertThat(m.routes().get(1).wagi()).isEqualTo(new SpinManifest.WagiOptions("run", "${SCRIPT_NAME}"));
        assertThat(m.routes().get(0).wagi()).isEqualTo(SpinManifest.WagiOptions.DEFAULT);
    }

    @Test
    void readsVersion2() throws Exception {
        write("""
                spin_manifest_version = 2

                [application]
                name = "hello-v2"

                [[trigger.http]]
                route = "/hello"
                component = "hello"
                executor = { type = "wagi" }

                [[trigger.http]]
                route = "/..."
                component = "api"
                executor = { type = "wagi" }

                [[trigger.http]]
                route = { private = true }
                component = "api"
                executor = { type = "wagi" }

                [component.hello]
                source = "hello.wasm"
                allowed_outbound_hosts = ["https://example.com"]
                files = ["assets/*.txt"]

                [component.api]
                source = "api.wasm"
                """);
        SpinManifest m = ManifestReader.read(dir);
        assertThat(m.version()).isEqualTo(2);
        assertThat(m.name()).isEqualTo("hello-v2");
        assertThat(m.routes())
                .extracting(SpinManifest.HttpRoute::route, SpinManifest.HttpRoute::component)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("/hello", "hello"),
                        org.assertj.core.groups.Tuple.tuple("/...", "api"));
        assertThat(m.components().get("hello").allowedOutboundHosts()).containsExactly("https://example.com");
        assertThat(m.components().get("hello").files())
                .containsExactly(new SpinManifest.FileMount(dir, "/", "assets/*.txt"));
        assertThat(m.components().get("api").files()).isEmpty();
    }

    @Test
    void errorsNameTheFileAndField() throws Exception {
        String file = dir.resolve("spin.toml").toString();
        expect(
                "spin_manifest_version = 2\n[application]\nname = \"x\"\n[[trigger.http]]\nroute = \"/a\"\ncomponent = \"nope\"\n"
                        + "executor = { type = \"wagi\" }\n",
                file + ": trigger.http[0].component: no [component.nope] in the manifest (line 6)");
        expect(
                "spin_manifest_version = 2\n[application]\nname = \"x\"\n[[trigger.http]]\nroute = \"/a\"\ncomponent = \"hello\"\n"
                        + "[component.hello]\nsource = \"hello.wasm\"\n",
                file + ": trigger.http[0].executor: this shim runs WASI preview 1 "
                        + "modules with the WAGI executor; set executor = { type = \"wagi\" } (missing)");
        expect(
                "spin_manifest_version = 2\n[application]\nname = \"x\"\n[[trigger.http]]\nroute = \"/a\"\ncomponent = \"hello\"\n"
                        + "executor = { type = \"wagi\" }\n[component.hello]\nsource = \"missing.wasm\"\n",
                file + ": component.hello.source: module file " + dir.resolve("missing.wasm") + " does not exist");
        expect(
                "spin_manifest_version = 2\n[application]\nname = \"x\"\n[[trigger.http]]\nroute = \"/a\"\ncomponent = \"hello\"\n"
                        + "executor = { type = \"wagi\" }\n[component.hello]\nsource = \"../../etc/passwd\"\n",
                file + ": component.hello.source: \"../../etc/passwd\" points outside the app directory (line 9)");
        expect(
                "spin_version = \"1\"\nname = \"x\"\ntrigger = { type = \"http\" }\n[[component]]\nsource = \"hello.wasm\"\n",
                file + ": component[0].id: required");
        expect(
                "spin_version = \"1\"\nname = \"x\"\ntrigger = { type = \"redis\" }\n",
                file + ": trigger.type: only \"http\" is supported, got \"redis\"");
        expect("spin_manifest_version = 3\n", file + ": spin_manifest_version: unsupported manifest version 3");
        expect("name = \"x\"\n", file + ": spin_manifest_version: missing");
        expect("spin_manifest_version = 2\n[application\n", file + ": line 2: TOML syntax:");
        expect(
                "spin_manifest_version = 2\n[application]\nname = \"x\"\n[[trigger.http]]\nroute = \"/a\"\ncomponent = \"hello\"\n"
                        + "executor = { type = \"wagi\" }\n[[trigger.http]]\nroute = \"/a/\"\ncomponent = \"hello\"\n"
                        + "executor = { type = \"wagi\" }\n[component.hello]\nsource = \"hello.wasm\"\n",
                file + ": trigger.http[1].route: route \"/a/\" is already taken by trigger.http[0].route");
        expect(
                "spin_manifest_version = 2\n[application]\nname = \"x\"\n[[trigger.http]]\nroute = \"/users/:id\"\n"
                        + "component = \"hello\"\nexecutor = { type = \"wagi\" }\n[component.hello]\nsource = \"hello.wasm\"\n",
                file + ": trigger.http[0].route: route \"/users/:id\": named wildcards (:name) are not supported");
        expect(
                "spin_manifest_version = 2\n[application]\nname = \"x\"\n[[trigger.http]]\nroute = \"/a\"\ncomponent = \"hello\"\n"
                        + "executor = { type = \"wagi\" }\n[component.hello]\nsource = { url = \"https://x/y.wasm\", digest = \"sha256:0\" }\n",
                file + ": component.hello.source: remote sources ({ url, digest }) are not supported");
        expect(
                "spin_manifest_version = 2\n[application]\nname = \"x\"\n[[trigger.http]]\nroute = \"/a\"\ncomponent = \"hello\"\n"
                        + "executor = { type = \"wagi\" }\n[component.hello]\nsource = \"hello.wasm\"\n"
                        + "allowed_outbound_hosts = [\"ftp://files.example.com\"]\n",
                file
                        + ": component.hello.allowed_outbound_hosts: ftp://files.example.com: only http and https URLs can be granted");
        expect(
                "spin_manifest_version = 2\n[application]\nname = \"x\"\n[[trigger.http]]\nroute = \"/a\"\ncomponent = \"hello\"\n"
                        + "executor = { type = \"wagi\" }\n[component.hello]\nsource = \"hello.wasm\"\n"
                        + "allowed_http_hosts = [\"https://example.com/api\"]\n",
                file
                        + ": component.hello.allowed_http_hosts: https://example.com/api: give scheme, host and port only");
    }

    @Test
    void missingManifest() {
        assertThatThrownBy(() -> ManifestReader.read(dir))
                .isInstanceOf(WorkloadException.class)
                .hasMessage(dir.resolve("spin.toml") + ": no Spin manifest in the container's root file system");
    }

    @Test
    void aManifestLinkedToAHostFileIsNotRead(@TempDir Path host) throws Exception {
        Path secret = Files.writeString(host.resolve("secret.toml"), "token = \"s3cret\"\nspin_manifest_version = 9\n");
        Files.createSymbolicLink(dir.resolve("spin.toml"), secret);
        assertThatThrownBy(() -> ManifestReader.read(dir))
                .isInstanceOf(WorkloadException.class)
                .hasMessage(
                        dir.resolve("spin.toml") + ": resolves (through a link) outside the app directory; not read")
                .satisfies(e -> assertThat(((WorkloadException) e).reason()).isEqualTo("invalid_manifest"));
    }

    @Test
    void aManifestThatIsAFifoIsRefusedWithoutBlocking() throws Exception {
        Process mkfifo = new ProcessBuilder("mkfifo", dir.resolve("spin.toml").toString()).start();
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mkfifo.exitValue()).isZero();
        assertTimeoutPreemptively(
                Duration.ofSeconds(10),
                () -> assertThatThrownBy(() -> ManifestReader.read(dir))
                        .isInstanceOf(WorkloadException.class)
                        .hasMessageContaining("spin.toml: not a regular file"));
    }

    @Test
    void aManifestLinkedInsideTheAppIsRead() throws Exception {
        Files.writeString(
                dir.resolve("real.toml"),
                "spin_manifest_version = 2\n[application]\nname = \"linked\"\n[[trigger.http]]\nroute = \"/a\"\n"
                        + "component = \"hello\"\nexecutor = { type = \"wagi\" }\n[component.hello]\nsource = \"hello.wasm\"\n");
        Files.createSymbolicLink(dir.resolve("spin.toml"), Path.of("real.toml"));
        assertThat(ManifestReader.read(dir).name()).isEqualTo("linked");
    }

    private void expect(String toml, String message) throws IOException {
        write(toml);
        assertThatThrownBy(() -> ManifestReader.read(dir))
                .isInstanceOf(WorkloadException.class)
                .hasMessageContaining(message);
    }

    private void write(String toml) throws IOException {
        Files.writeString(dir.resolve("spin.toml"), toml);
    }
}
