package dev.wasmorch.shim.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random granted trees, then random entries swapped for links once the app runs (absolute and
 * relative, to the host secret or its directory, chains of links, or simply removed): through the
 * module, every file still reads as it was at start, no swapped path yields the secret, writes
 * through every swapped path succeed or fail inside the copy, and the host directory, the secret
 * and the image's moved-away originals stay as they were.
 */
class GrantedFilesSwapPropertyTest {

    private static final String SECRET = "host secret 7f3a\n";

    enum Swap {
        ABSOLUTE_LINK_TO_SECRET,
        RELATIVE_LINK_TO_SECRET,
        LINK_TO_HOST_DIR,
        CHAIN_TO_SECRET,
        REMOVED
    }

    record Entry(int parent, boolean dir) {}

    record Change(int entry, Swap swap) {}

    @Provide
    Arbitrary<List<Entry>> trees() {
        return Combinators.combine(Arbitraries.integers().between(0, 5), Arbitraries.of(true, false))
                .as(Entry::new)
                .list()
                .ofMinSize(1)
                .ofMaxSize(8);
    }

    @Provide
    Arbitrary<List<Change>> changes() {
        return Combinators.combine(Arbitraries.integers().between(0, 7), Arbitraries.of(Swap.class))
                .as(Change::new)
                .list()
                .ofMinSize(1)
                .ofMaxSize(4);
    }

    @Property(tries = 25)
    void swapsAfterStartReachNothingOutsideTheCopy(
            @ForAll("trees") List<Entry> tree, @ForAll("changes") List<Change> changes) throws Exception {
        Path root = Files.createTempDirectory("grant-swap-");
        try (AppHarness harness = new AppHarness(16L << 20, Duration.ofSeconds(60))) {
            Path app = Files.createDirectories(root.resolve("app"));
            Path host = Files.createDirectories(root.resolve("host"));
            Path secret = Files.writeString(host.resolve("shadow"), SECRET);
            Path data = Files.createDirectories(app.resolve("data"));
            List<Path> dirs = new ArrayList<>(List.of(data));
            List<Path> entries = new ArrayList<>();
            Map<String, String> files = new LinkedHashMap<>();
            for (int i = 0; i < tree.size(); i++) {
                Entry e = tree.get(i);
                Path at = dirs.get(e.parent() % dirs.size()).resolve("e" + i);
                if (e.dir()) {
                    dirs.add(Files.createDirectory(at));
                } else {
                    Files.writeString(at, "f" + i);
                    files.put(guest(data, at), "f" + i);
                }
                entries.add(at);
            }
            TestApps.app(app, "/fs=fsops");
            Path manifest = app.resolve("spin.toml");
            Files.writeString(
                    manifest,
                    Files.readString(manifest) + "files = [{ source = \"data\", destination = \"/data\" }]\n");

            try (RunningApp running = harness.start("c-swap", app)) {
                Path moved = Files.createDirectories(app.resolve("moved"));
                List<String> swapped = new ArrayList<>();
                for (int c = 0; c < changes.size(); c++) {
                    Path at = entries.get(changes.get(c).entry() % entries.size());
                    if (!Files.exists(at, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(at)) {
                        continue; // gone with a directory swapped earlier, or already a link
                    }
                    Files.move(at, moved.resolve("m" + c));
                    swap(at, changes.get(c).swap(), secret, host);
                    swapped.add(guest(data, at));
                }

                for (var f : files.entrySet()) {
                    assertThat(fs(harness, running, "read:" + f.getKey())).isEqualTo(f.getValue());
                }
                for (String path : swapped) {
                    assertThat(fs(harness, running, "read:" + path)).doesNotContain(SECRET.strip());
                    assertThat(fs(harness, running, "read:" + path + "/shadow")).doesNotContain(SECRET.strip());
                    fs(harness, running, "write:" + path + ":overwritten");
                    fs(harness, running, "write:" + path + "/shadow:overwritten");
                    fs(harness, running, "write:" + path + "/planted:planted");
                }
            }
            assertThat(Files.readString(secret)).isEqualTo(SECRET);
            try (Stream<Path> listing = Files.list(host)) {
                assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("shadow");
            }
            try (Stream<Path> walk = Files.walk(app.resolve("moved"))) {
                // the originals, not what links among them (moved along with a directory) point to
                assertThat(walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                                .map(p -> {
                                    try {
                                        return Files.readString(p);
                                    } catch (IOException e) {
                                        throw new java.io.UncheckedIOException(e);
                                    }
                                }))
                        .allSatisfy(content -> assertThat(content).matches("f[0-9]+"));
            }
        } finally {
            deleteTree(root);
        }
    }

    private static void swap(Path at, Swap swap, Path secret, Path host) throws IOException {
        switch (swap) {
            case ABSOLUTE_LINK_TO_SECRET -> Files.createSymbolicLink(at, secret);
            case RELATIVE_LINK_TO_SECRET ->
                Files.createSymbolicLink(at, at.getParent().relativize(secret));
            case LINK_TO_HOST_DIR -> Files.createSymbolicLink(at, host);
            case CHAIN_TO_SECRET -> {
                Path hop = at.resolveSibling(at.getFileName() + "-hop");
                Files.createSymbolicLink(hop, secret);
                Files.createSymbolicLink(at, hop.getFileName());
            }
            case REMOVED -> {
                // the entry is only moved away: the module must still see its start-time copy
            }
        }
    }

    private static String guest(Path data, Path at) {
        return "/data/" + data.relativize(at);
    }

    private static String fs(AppHarness harness, RunningApp running, String op) throws Exception {
        return harness.get(running, "/fs?" + op).body();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
