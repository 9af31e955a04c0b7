package dev.wasmorch.shim.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a running app can reach: the app's granted directories hold only plain files when it starts,
 * then each test changes them behind its back (a file or directory swapped for a link to a host
 * "secret", chains of links, new links) or lets the module try writes and links itself, and proves
 * that the module is served only the copy made at start, that its writes stay in that copy, and
 * that nothing outside (the secret, its directory, the image's directories) is read or written.
 */
class GrantedFilesAfterStartTest {

    private static final String SECRET = "host secret 7f3a\n";
    private static final Instant SECRET_TIME = Instant.parse("2020-01-01T00:00:00Z");

    @TempDir
    Path root;

    Path app;
    Path outside;
    Path secret;
    AppHarness harness;
    RunningApp running;

    @BeforeEach
    void setUp() throws Exception {
        app = Files.createDirectories(root.resolve("app"));
        outside = Files.createDirectories(root.resolve("host"));
        secret = Files.writeString(outside.resolve("shadow"), SECRET);
        Files.setLastModifiedTime(secret, FileTime.from(SECRET_TIME));
        Files.createDirectories(app.resolve("data/sub"));
        Files.writeString(app.resolve("data/value.txt"), "42\n");
        Files.writeString(app.resolve("data/sub/inner.txt"), "inner\n");
        Files.createDirectories(app.resolve("static"));
        Files.writeString(app.resolve("static/greeting.txt"), "hi\n");
        TestApps.app(app, "/read=files", "/fs=fsops");
        Path manifest = app.resolve("spin.toml");
        String grants = "files = [\"static/*.txt\", { source = \"data\", destination = \"/data\" }]\n";
        Files.writeString(
                manifest,
                Files.readString(manifest)
                        .replace("[component.files]\n", "[component.files]\n" + grants)
                        .replace("[component.fsops]\n", "[component.fsops]\n" + grants));
        harness = new AppHarness(16L << 20, Duration.ofSeconds(60));
        running = harness.start("c-after-start", app);
    }

    @AfterEach
    void tearDown() throws Exception {
        running.close();
        harness.close();
        assertThat(Files.readString(secret)).isEqualTo(SECRET);
        assertThat(Files.getLastModifiedTime(secret).toInstant()).isEqualTo(SECRET_TIME);
        assertThat(namesIn(outside)).containsExactly("shadow");
    }

    @Test
    void aFileSwappedForALinkAfterStartServesTheCopyNotTheTarget() throws Exception {
        Files.delete(app.resolve("data/value.txt"));
        Files.createSymbolicLink(app.resolve("data/value.txt"), secret);
        Files.delete(app.resolve("static/greeting.txt"));
        Files.createSymbolicLink(app.resolve("static/greeting.txt"), Path.of("../../host/shadow"));

        assertThat(read("/data/value.txt")).isEqualTo("42\n");
        assertThat(read("/static/greeting.txt")).isEqualTo("hi\n");
    }

    @Test
    void aDirectorySwappedForALinkAfterStartIsNotEntered() throws Exception {
        Files.move(app.resolve("data/sub"), app.resolve("moved-sub"));
        Files.createSymbolicLink(app.resolve("data/sub"), outside);

        assertThat(read("/data/sub/shadow")).startsWith("denied: ");
        assertThat(read("/data/sub/inner.txt")).isEqualTo("inner\n");
    }

    @Test
    void chainsOfLinksAddedAfterStartAreNotSeen() throws Exception {
        // absolute and relative hops: first -> second -> /…/host, and a relative chain to the file
        Files.createSymbolicLink(app.resolve("data/second"), outside);
        Files.createSymbolicLink(app.resolve("data/first"), Path.of("second"));
        Files.createSymbolicLink(app.resolve("data/b"), Path.of("../../host/shadow"));
        Files.createSymbolicLink(app.resolve("data/a"), Path.of("b"));

        assertThat(read("/data/first/shadow")).startsWith("denied: ");
        assertThat(read("/data/second/shadow")).startsWith("denied: ");
        assertThat(read("/data/a")).startsWith("denied: ");
    }

    @Test
    void writesThroughAPathSwappedForALinkLandInTheCopy() throws Exception {
        Files.delete(app.resolve("data/value.txt"));
        Files.createSymbolicLink(app.resolve("data/value.txt"), secret);
        Files.move(app.resolve("data/sub"), app.resolve("moved-sub"));
        Files.createSymbolicLink(app.resolve("data/sub"), outside);

        assertThat(fs("write:/data/value.txt:overwritten")).isEqualTo("ok\n");
        assertThat(fs("write:/data/sub/planted:planted")).isEqualTo("ok\n");

        assertThat(read("/data/value.txt")).isEqualTo("overwritten");
        assertThat(read("/data/sub/planted")).isEqualTo("planted");
        assertThat(Files.readSymbolicLink(app.resolve("data/value.txt"))).isEqualTo(secret);
        assertThat(namesIn(app.resolve("moved-sub"))).containsExactly("inner.txt");
    }

    @Test
    void writesStayInTheAppsCopyAndNeverReachTheImage() throws Exception {
        assertThat(fs("write:/data/new.txt:fresh")).isEqualTo("ok\n");
        assertThat(fs("write:/data/value.txt:changed")).isEqualTo("ok\n");

        // later requests of the same app see them; the image's directory does not change
        assertThat(read("/data/new.txt")).isEqualTo("fresh");
        assertThat(read("/data/value.txt")).isEqualTo("changed");
        assertThat(Files.readString(app.resolve("data/value.txt"))).isEqualTo("42\n");
        assertThat(namesIn(app.resolve("data"))).containsExactlyInAnyOrder("sub", "value.txt");
    }

    @Test
    void eachComponentHasItsOwnCopy() throws Exception {
        assertThat(fs("write:/data/new.txt:fresh")).isEqualTo("ok\n");

        assertThat(read("/data/new.txt")).isEqualTo("fresh");
        assertThat(harness.get(running, "/read?/data/new.txt").body()).startsWith("denied: ");
        assertThat(harness.get(running, "/read?/data/value.txt").body()).isEqualTo("42\n");
    }

    @Test
    void theModuleCannotCreateLinks() throws Exception {
        assertThat(fs("symlink:" + secret + ":/data/abs")).isEqualTo("denied: Operation not permitted\n");
        assertThat(fs("symlink:value.txt:/data/rel")).isEqualTo("denied: Operation not permitted\n");
        assertThat(fs("symlink:sub:/data/dir")).isEqualTo("denied: Operation not permitted\n");
        assertThat(fs("link:/data/value.txt:/data/alias")).isEqualTo("denied: Operation not permitted\n");
        assertThat(fs("link:/static/greeting.txt:/static/alias")).isEqualTo("denied: Operation not permitted\n");

        // had any call succeeded, these would serve the secret or the file's content
        assertThat(read("/data/abs")).startsWith("denied: ");
        assertThat(read("/data/rel")).startsWith("denied: ");
        assertThat(read("/data/dir/inner.txt")).startsWith("denied: ");
        assertThat(read("/data/alias")).startsWith("denied: ");
        assertThat(read("/static/alias")).startsWith("denied: ");
        assertThat(read("/data/value.txt")).isEqualTo("42\n");
    }

    /** Reads through the same component that writes: each component has a copy of its own. */
    private String read(String guestPath) throws Exception {
        return fs("read:" + guestPath);
    }

    private String fs(String op) throws Exception {
        return harness.get(running, "/fs?" + op).body();
    }

    private static List<String> namesIn(Path dir) throws Exception {
        try (Stream<Path> listing = Files.list(dir)) {
            return listing.map(p -> p.getFileName().toString()).toList();
        }
    }
}
