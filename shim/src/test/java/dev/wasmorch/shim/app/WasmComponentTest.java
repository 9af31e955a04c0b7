package dev.wasmorch.shim.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasmorch.shim.task.WorkloadException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WasmComponentTest {

    @Test
    void theWarmUpModuleWritesACgiResponseThroughWasi() throws Exception {
        java.nio.file.Path wasm = java.nio.file.Files.createTempFile("warm-up", ".wasm");
        try {
            java.nio.file.Files.write(wasm, WarmUp.MODULE);
            WasmComponent c = WasmComponent.compile("warm-up", wasm, 1L << 20);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            var outcome = c.run(
                    List.of("warm-up"),
                    Map.of(),
                    Map.of(),
                    java.io.InputStream.nullInputStream(),
                    out,
                    java.io.OutputStream.nullOutputStream(),
                    "_start");
            assertThat(outcome.ok()).as(String.valueOf(outcome)).isTrue();
            assertThat(outcome.memoryPages()).isEqualTo(1);
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("Content-Type: text/plain\n\nok\n");
        } finally {
            java.nio.file.Files.delete(wasm);
        }
    }

    @Test
    void memoryCapLowersTheModulesMaximum() throws Exception {
        WasmComponent c = WasmComponent.compile("counter", TestApps.module("counter"), 1L << 20);
        assertThat(c.maxPages()).isEqualTo(16);
        assertThat(c.exports("_start")).isTrue();
        assertThat(c.exports("nope")).isFalse();
    }

    @Test
    void initialMemoryAboveTheCapIsRefused() {
        // wasi-libc programs start with a 2-page (128 KiB) memory: a 64 KiB cap cannot hold them.
        assertThatThrownBy(() -> WasmComponent.compile("hello", TestApps.module("hello"), 64 << 10))
                .isInstanceOf(WorkloadException.class)
                .hasMessageContaining("at start, above the memory limit of 1 pages")
                .satisfies(e -> assertThat(((WorkloadException) e).reason()).isEqualTo("memory_limit"));
    }

    @Test
    void exitStatusIsReported() throws Exception {
        WasmComponent c = WasmComponent.compile("echo", TestApps.module("echo"), 16L << 20);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var outcome = c.run(
                List.of("x"),
                Map.of("QUERY_STRING", "status"),
                Map.of(),
                new ByteArrayInputStream("in".getBytes(StandardCharsets.UTF_8)),
                out,
                ByteArrayOutputStream.nullOutputStream(),
                "_start");
        assertThat(outcome.ok()).isTrue();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .startsWith("Status: 418")
                .contains("BODY=in");
    }

    @Test
    void anOutboundHttpImportOfTheWrongTypeIsRefused(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        // A module importing wasi_experimental_http::req as () -> (), not the ABI's ten i32 -> i32.
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        bytes.writeBytes(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 2, 30, 1, 22});
        bytes.writeBytes("wasi_experimental_http".getBytes(StandardCharsets.US_ASCII));
        bytes.writeBytes(new byte[] {3, 'r', 'e', 'q', 0, 0});
        java.nio.file.Path wasm = java.nio.file.Files.write(dir.resolve("bad.wasm"), bytes.toByteArray());
        assertThatThrownBy(() -> WasmComponent.compile("bad", wasm, 1L << 20))
                .isInstanceOf(WorkloadException.class)
                .hasMessageContaining("imports function wasi_experimental_http::req: type")
                .satisfies(e -> assertThat(((WorkloadException) e).reason()).isEqualTo("unsupported_import"));
    }
}
