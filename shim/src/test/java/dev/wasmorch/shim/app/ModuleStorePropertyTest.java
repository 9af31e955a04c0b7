package dev.wasmorch.shim.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random store directories, as a broken disk, another tool or an attacker with write access to the
 * store could leave them: whatever they hold, reading gives exactly the regular files whose
 * content matches their SHA-256 name, never follows a link (the file a link points to is neither
 * returned nor changed), removes the files whose content does not match, tells every other entry,
 * and never throws.
 */
class ModuleStorePropertyTest {

    enum Kind {
        MODULE,
        WRONG_CONTENT,
        LINK_TO_A_MODULE_OUTSIDE,
        LINK_TO_A_MISSING_FILE,
        DIRECTORY_WITH_A_MODULE_NAME,
        OTHER_NAME,
        UPPER_CASE_NAME,
        WRITE_IN_PROGRESS,
        FIFO
    }

    @Provide
    Arbitrary<List<Kind>> stores() {
        return Arbitraries.of(Kind.class).list().ofMaxSize(12);
    }

    @Property(tries = 80)
    void readingGivesExactlyTheIntactModules(@ForAll("stores") List<Kind> entries) throws Exception {
        Path root = Files.createTempDirectory("wasmorch-store-");
        try {
            Path store = Files.createDirectory(root.resolve("store"));
            Path outside = Files.createDirectory(root.resolve("outside"));
            Set<String> intact = new HashSet<>();
            Set<Path> mismatching = new HashSet<>();
            List<Path> told = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                byte[] bytes = ("module " + i).getBytes(StandardCharsets.UTF_8);
                String sha = ModuleCache.sha256(bytes);
                Path named = store.resolve(sha + ".wasm");
                switch (entries.get(i)) {
                    case MODULE -> {
                        Files.write(named, bytes);
                        intact.add(sha);
                    }
                    case WRONG_CONTENT -> {
                        Files.write(named, ("tampered " + i).getBytes(StandardCharsets.UTF_8));
                        mismatching.add(named);
                    }
                    case LINK_TO_A_MODULE_OUTSIDE -> {
                        Files.write(outside.resolve(sha + ".wasm"), bytes);
                        Files.createSymbolicLink(named, outside.resolve(sha + ".wasm"));
                        told.add(named);
                    }
                    case LINK_TO_A_MISSING_FILE -> {
                        Files.createSymbolicLink(named, outside.resolve("missing-" + i));
                        told.add(named);
                    }
                    case DIRECTORY_WITH_A_MODULE_NAME -> {
                        Files.createDirectory(named);
                        told.add(named);
                    }
                    case OTHER_NAME -> {
                        Path other = store.resolve("module-" + i + ".wasm");
                        Files.write(other, bytes);
                        told.add(other);
                    }
                    case UPPER_CASE_NAME -> {
                        Path upper = store.resolve(sha.toUpperCase(java.util.Locale.ROOT) + ".wasm");
                        Files.write(upper, bytes);
                        told.add(upper);
                    }
                    case WRITE_IN_PROGRESS -> Files.write(store.resolve("." + sha + ".x.tmp"), bytes);
                    case FIFO -> {
                        Process p = new ProcessBuilder("mkfifo", named.toString()).start();
                        assertThat(p.waitFor()).isZero();
                        told.add(named);
                    }
                }
            }
            List<String> problems = new ArrayList<>();

            List<ModuleStore.Stored> loaded = new ModuleStore(store, problems::add, Runnable::run).load();

            assertThat(loaded).map(ModuleStore.Stored::sha256).containsExactlyInAnyOrderElementsOf(intact);
            for (ModuleStore.Stored s : loaded) {
                assertThat(ModuleCache.sha256(s.bytes())).isEqualTo(s.sha256());
                assertThat(s.file().getParent()).isEqualTo(store);
            }
            for (Path m : mismatching) {
                assertThat(Files.exists(m, LinkOption.NOFOLLOW_LINKS)).isFalse();
                assertThat(problems).anyMatch(p -> p.contains("removed " + m.getFileName()));
            }
            for (Path t : told) {
                assertThat(Files.exists(t, LinkOption.NOFOLLOW_LINKS)).isTrue();
                assertThat(problems).anyMatch(p -> p.contains("ignored " + t.getFileName()));
            }
            try (Stream<Path> files = Files.list(outside)) {
                for (Path f : files.toList()) {
                    assertThat(new String(Files.readAllBytes(f), StandardCharsets.UTF_8))
                            .startsWith("module ");
                }
            }
            assertThat(problems).hasSize(mismatching.size() + told.size());
        } finally {
            deleteTree(root);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
