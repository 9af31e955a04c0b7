package dev.wasmorch.shim.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasmorch.shim.task.WorkloadException;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleCacheTest {

    private static final long CAP = 16L << 20;

    @TempDir
    Path dir;

    @Test
    void theSameBytesAreCompiledOnceWhateverTheFileAndComponentAreCalled() throws Exception {
        ModuleCache cache = new ModuleCache(4);
        Path a = Files.copy(TestApps.module("counter"), dir.resolve("a.wasm"));
        Path b = Files.copy(TestApps.module("counter"), dir.resolve("b.wasm"));
        var first = cache.compile("one", a, CAP);
        var second = cache.compile("two", b, CAP);
        assertThat(first.cached()).isFalse();
        assertThat(second.cached()).isTrue();
        assertThat(second.component().id()).isEqualTo("two");
        // shared compiled code, still a fresh instance per run: the counter starts at 1 every time
        assertThat(output(first.component()))
                .isEqualTo(output(second.component()))
                .contains("count=1");
        assertThat(output(second.component())).contains("count=1");
        // another memory cap is another compilation
        assertThat(cache.compile("three", b, CAP * 2).cached()).isFalse();
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void changedBytesUnderTheSameNameAreCompiledAgain() throws Exception {
        ModuleCache cache = new ModuleCache(4);
        Path m = Files.copy(TestApps.module("counter"), dir.resolve("app.wasm"));
        cache.compile("app", m, CAP);
        Files.copy(TestApps.module("hello"), m, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        var lookup = cache.compile("app", m, CAP);
        assertThat(lookup.cached()).isFalse();
        assertThat(output(lookup.component())).contains("hello from wasmorch");
    }

    @Test
    void leastRecentlyUsedModulesAreDroppedBeyondTheCapacity() throws Exception {
        ModuleCache cache = new ModuleCache(2);
        Path hello = TestApps.module("hello");
        Path counter = TestApps.module("counter");
        Path echo = TestApps.module("echo");
        cache.compile("h", hello, CAP);
        cache.compile("c", counter, CAP);
        assertThat(cache.compile("h", hello, CAP).cached()).isTrue(); // hello is now the most recent
        cache.compile("e", echo, CAP); // drops counter
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.compile("h", hello, CAP).cached()).isTrue();
        assertThat(cache.compile("c", counter, CAP).cached()).isFalse();
    }

    @Test
    void failuresAreReportedEveryTimeAndNotCached() throws Exception {
        ModuleCache cache = new ModuleCache(4);
        Path broken = Files.write(dir.resolve("broken.wasm"), "not wasm".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> cache.compile("b", broken, CAP))
                    .isInstanceOf(WorkloadException.class)
                    .hasMessageContaining("not a valid WebAssembly module")
                    .extracting(e -> ((WorkloadException) e).reason())
                    .isEqualTo("broken_module");
        }
        assertThatThrownBy(() -> cache.compile("m", dir.resolve("missing.wasm"), CAP))
                .extracting(e -> ((WorkloadException) e).reason())
                .isEqualTo("missing_module");
        assertThat(cache.size()).isZero();
    }

    private static String output(WasmComponent c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var outcome = c.run(
                List.of(c.id()),
                Map.of("REQUEST_METHOD", "GET"),
                Map.of(),
                InputStream.nullInputStream(),
                out,
                OutputStream.nullOutputStream(),
                "_start");
        assertThat(outcome.ok()).as(String.valueOf(outcome)).isTrue();
        return out.toString(StandardCharsets.UTF_8);
    }
}
