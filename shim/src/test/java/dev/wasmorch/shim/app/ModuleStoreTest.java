package dev.wasmorch.shim.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasmorch.shim.task.WorkloadException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The module store on a real directory: what a daemon keeps, what the next one compiles ahead. */
class ModuleStoreTest {

    private static final long CAP = 16L << 20;

    @TempDir
    Path dir;

    private final List<String> problems = new ArrayList<>();

    @Test
    void aModuleThatRanIsCompiledAheadByTheNextDaemon() throws Exception {
        Path storeDir = dir.resolve("var/lib/modules");
        ModuleCache before = new ModuleCache(4, new ModuleStore(storeDir, problems::add, Runnable::run));
        byte[] counter = Files.readAllBytes(TestApps.module("counter"));
        assertThat(before.compile("app", TestApps.module("counter"), CAP).cached())
                .isFalse();
        assertThat(Files.readAllBytes(storeDir.resolve(ModuleCache.sha256(counter) + ".wasm")))
                .isEqualTo(counter);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(storeDir)))
                .isEqualTo("rwx------");

        ModuleCache next = new ModuleCache(4, new ModuleStore(storeDir, problems::add, Runnable::run));
        assertThat(next.precompile(CAP, () -> false)).isEqualTo(1);
        var lookup = next.compile("app", TestApps.module("counter"), CAP);
        assertThat(lookup.cached()).isTrue();
        assertThat(lookup.component().id()).isEqualTo("app");
        // another memory cap than the daemon's is another compilation
        assertThat(next.compile("app", TestApps.module("counter"), CAP * 2).cached())
                .isFalse();
        assertThat(problems).isEmpty();
    }

    @Test
    void aContainersStartOnlyHandsTheWriteOver() throws Exception {
        Path storeDir = dir.resolve("modules");
        List<Runnable> writes = new ArrayList<>();
        ModuleCache cache = new ModuleCache(4, new ModuleStore(storeDir, problems::add, writes::add));
        cache.compile("app", TestApps.module("counter"), CAP);
        assertThat(Files.exists(storeDir)).isFalse();
        assertThat(writes).hasSize(1);
        writes.get(0).run();
        try (var files = Files.list(storeDir)) {
            assertThat(files.toList()).hasSize(1);
        }
    }

    @Test
    void aModuleThatFailsIsNotKept() throws Exception {
        Path storeDir = dir.resolve("modules");
        ModuleCache cache = new ModuleCache(4, new ModuleStore(storeDir, problems::add, Runnable::run));
        Path broken = TestApps.brokenModule(dir);
        assertThatThrownBy(() -> cache.compile("b", broken, CAP)).isInstanceOf(WorkloadException.class);
        assertThat(Files.exists(storeDir)).isFalse();
    }

    @Test
    void precompilingStopsWhenATaskArrivesAndSkipsWhatNoLongerCompiles() throws Exception {
        Path storeDir = dir.resolve("modules");
        ModuleStore store = new ModuleStore(storeDir, problems::add, Runnable::run);
        byte[] garbage = "a module no longer accepted".getBytes(StandardCharsets.UTF_8);
        store.keep(ModuleCache.sha256(garbage), garbage);
        byte[] hello = Files.readAllBytes(TestApps.module("hello"));
        store.keep(ModuleCache.sha256(hello), hello);

        assertThat(new ModuleCache(4, store).precompile(CAP, () -> true)).isZero();
        assertThat(new ModuleCache(4, store).precompile(CAP, () -> false)).isEqualTo(1);
        assertThat(problems)
                .singleElement()
                .asString()
                .contains("module store")
                .contains(ModuleCache.sha256(garbage) + ".wasm")
                .contains("not a valid WebAssembly module");
    }

    @Test
    void theMostRecentlyUsedModulesAreKeptUpToTheCapacity() throws Exception {
        Path storeDir = dir.resolve("modules");
        ModuleStore store = new ModuleStore(storeDir, problems::add, Runnable::run);
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < ModuleStore.CAPACITY; i++) {
            String sha = keep(store, "module " + i);
            // an hour apart each, all in the past: the file system's clock may not tell writes apart
            Files.setLastModifiedTime(
                    storeDir.resolve(sha + ".wasm"), FileTime.fromMillis(1_000_000_000L + i * 3_600_000L));
            kept.add(sha);
        }
        keep(store, "module 0"); // used again: now the most recent
        String newer = keep(store, "one more");
        String newest = keep(store, "and another");

        List<String> loaded =
                store.load().stream().map(ModuleStore.Stored::sha256).toList();
        assertThat(loaded).hasSize(ModuleStore.CAPACITY).startsWith(newest).contains(newer, kept.get(0));
        assertThat(loaded).doesNotContain(kept.get(1), kept.get(2)).contains(kept.get(3));
        assertThat(problems).isEmpty();
    }

    private static String keep(ModuleStore store, String content) throws InterruptedException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        String sha = ModuleCache.sha256(bytes);
        store.keep(sha, bytes);
        Thread.sleep(20); // newer than the one before it, to the file system's clock
        return sha;
    }

    @Test
    void aStoreThatIsALinkIsNeitherReadNorWritten() throws Exception {
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        byte[] hello = Files.readAllBytes(TestApps.module("hello"));
        Files.write(elsewhere.resolve(ModuleCache.sha256(hello) + ".wasm"), hello);
        Path storeDir = Files.createSymbolicLink(dir.resolve("modules"), elsewhere);
        ModuleStore store = new ModuleStore(storeDir, problems::add, Runnable::run);

        assertThat(store.load()).isEmpty();
        byte[] counter = Files.readAllBytes(TestApps.module("counter"));
        store.keep(ModuleCache.sha256(counter), counter);
        try (var files = Files.list(elsewhere)) {
            assertThat(files.toList()).hasSize(1);
        }
        assertThat(problems).hasSize(2).allMatch(p -> p.contains("symbolic link, not a directory"));
    }
}
