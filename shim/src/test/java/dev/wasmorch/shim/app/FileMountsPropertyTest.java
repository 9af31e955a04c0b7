package dev.wasmorch.shim.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasmorch.shim.app.SpinManifest.Component;
import dev.wasmorch.shim.app.SpinManifest.FileMount;
import dev.wasmorch.shim.task.WorkloadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random granted trees: whatever mix of files, directories and links an image holds, a grant is
 * either refused with the name of an offending entry or prepared as a private copy outside the app
 * holding exactly its regular files (same paths, contents and times), for plain and glob grants.
 */
class FileMountsPropertyTest {

    enum Kind {
        FILE,
        DIR,
        ABSOLUTE_LINK_TO_HOST_DIR,
        RELATIVE_LINK_TO_HOST_FILE,
        LINK_INSIDE,
        HARD_LINK_TO_HOST_FILE
    }

    record Entry(int parent, Kind kind) {}

    @Provide
    Arbitrary<Entry> entries() {
        return Arbitraries.integers()
                .between(0, 7)
                .flatMap(parent -> Arbitraries.of(Kind.class).map(kind -> new Entry(parent, kind)));
    }

    @Property(tries = 60)
    void plainGrantRefusesExactlyTreesWithNonPlainEntries(@ForAll("entriesList") List<Entry> tree) throws Exception {
        check(tree, false);
    }

    @Property(tries = 60)
    void globGrantRefusesExactlyMatchesThatAreNotPlain(@ForAll("entriesList") List<Entry> tree) throws Exception {
        check(tree, true);
    }

    @Provide
    Arbitrary<List<Entry>> entriesList() {
        return entries().list().ofMinSize(1).ofMaxSize(12);
    }

    private void check(List<Entry> tree, boolean glob) throws Exception {
        Path root = Files.createTempDirectory("grant-prop-");
        try {
            Path app = Files.createDirectories(root.resolve("app"));
            Path host = Files.createDirectories(root.resolve("host"));
            Path secret = Files.writeString(host.resolve("secret"), "secret");
            Path data = Files.createDirectories(app.resolve("data"));
            List<Path> dirs = new ArrayList<>(List.of(data));
            List<String> bad = new ArrayList<>();
            for (int i = 0; i < tree.size(); i++) {
                Entry e = tree.get(i);
                Path at = dirs.get(e.parent() % dirs.size()).resolve("e" + i);
                switch (e.kind()) {
                    case FILE -> Files.writeString(at, "f" + i);
                    case DIR -> dirs.add(Files.createDirectory(at));
                    case ABSOLUTE_LINK_TO_HOST_DIR -> Files.createSymbolicLink(at, host);
                    case RELATIVE_LINK_TO_HOST_FILE ->
                        Files.createSymbolicLink(at, at.getParent().relativize(secret));
                    case LINK_INSIDE -> Files.createSymbolicLink(at, Path.of("."));
                    case HARD_LINK_TO_HOST_FILE -> Files.createLink(at, secret);
                }
                if (e.kind() != Kind.FILE && e.kind() != Kind.DIR) {
                    bad.add(app.relativize(at).toString());
                }
            }
            FileMount grant = glob ? new FileMount(null, null, "data/**") : new FileMount(data, "/data", null);
            Component component = new Component(
                    "c", app.resolve("m.wasm"), List.of(grant), Map.of(), List.of(), HttpGrant.parse(List.of()));
            if (bad.isEmpty()) {
                try (FileMounts mounts = FileMounts.prepare(component, app)) {
                    Path exposed = glob
                            ? mounts.preopens().get("/")
                            : mounts.preopens().get("/data");
                    // a private copy, never the image's directory, holding each file as it was
                    assertThat(exposed)
                            .satisfies(p -> assertThat(p.startsWith(root)).isFalse());
                    assertThat(regularFilesUnder(exposed))
                            .allSatisfy(p -> assertThat(Files.isSymbolicLink(p)).isFalse());
                    assertThat(regularFilesUnder(exposed)).hasSize((int)
                            tree.stream().filter(e -> e.kind() == Kind.FILE).count());
                    Path copiedFrom = glob ? app : data;
                    for (Path p : regularFilesUnder(exposed)) {
                        Path original = copiedFrom.resolve(exposed.relativize(p).toString());
                        assertThat(p).hasSameBinaryContentAs(original);
                        assertThat(Files.getLastModifiedTime(p)).isEqualTo(Files.getLastModifiedTime(original));
                    }
                }
            } else {
                assertThatThrownBy(() -> FileMounts.prepare(component, app))
                        .isInstanceOf(WorkloadException.class)
                        .hasMessageContaining("; a grant may hold only regular files and directories")
                        .satisfies(ex -> assertThat(bad)
                                .anySatisfy(name -> assertThat(ex.getMessage()).contains(name + " is a ")));
            }
            assertThat(Files.readString(secret)).isEqualTo("secret");
        } finally {
            deleteTree(root);
        }
    }

    private static List<Path> regularFilesUnder(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .toList();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
