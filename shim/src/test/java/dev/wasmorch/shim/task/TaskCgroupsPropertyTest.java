package dev.wasmorch.shim.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random {@code linux.cgroupsPath} values, mixing names with {@code .}, {@code ..} and empty
 * ones, absolute or relative: a path is refused, naming the field, exactly when it holds one of
 * those; an accepted one is created strictly below the root, and nothing is created outside it.
 */
class TaskCgroupsPropertyTest {

    @Provide
    Arbitrary<String> cgroupsPaths() {
        Arbitrary<String> name = Arbitraries.oneOf(
                Arbitraries.strings().withChars("abc-_.01").ofMinLength(1).ofMaxLength(4),
                Arbitraries.of("..", ".", ""));
        return Arbitraries.of("", "/")
                .flatMap(lead -> name.list().ofMinSize(1).ofMaxSize(5).map(names -> lead + String.join("/", names)));
    }

    @Property(tries = 300)
    void refusedExactlyWhenANameLeavesOrIsEmptyAndAcceptedOnesStayBelowTheRoot(@ForAll("cgroupsPaths") String path)
            throws Exception {
        String relative = path.startsWith("/") ? path.substring(1) : path;
        boolean escapes =
                Stream.of(relative.split("/", -1)).anyMatch(n -> n.isEmpty() || n.equals(".") || n.equals(".."));
        Path tmp = Files.createTempDirectory("cgroups-prop");
        try {
            Path root = Files.createDirectory(tmp.resolve("root"));
            TaskCgroups cgroups = new TaskCgroups(List.of(root));
            if (escapes) {
                assertThatThrownBy(() -> cgroups.create(path))
                        .isInstanceOf(BundleException.class)
                        .hasMessageStartingWith("linux.cgroupsPath \"" + path + "\": ");
                assertThat(root).isEmptyDirectory();
            } else {
                List<String> names = TaskCgroups.names(path);
                assertThat(String.join("/", names)).isEqualTo(relative);
                cgroups.create(path);
                Path leaf = root.resolve(relative);
                assertThat(leaf.normalize()).startsWith(root).isNotEqualTo(root);
                assertThat(leaf).isDirectory();
                assertThat(cgroups.remove(path)).isEmpty();
                assertThat(root).isEmptyDirectory();
            }
            try (var top = Files.list(tmp)) {
                assertThat(top).as("nothing beside the root").containsExactly(root);
            }
        } finally {
            deleteTree(tmp);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
