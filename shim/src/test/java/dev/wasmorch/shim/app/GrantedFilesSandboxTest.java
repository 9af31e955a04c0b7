package dev.wasmorch.shim.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasmorch.shim.task.WorkloadException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image's granted directories are untrusted: each test builds an app whose grant holds a link
 * or a special file pointing outside, and proves that the app is refused before it serves a byte,
 * naming the offending entry, and that the file outside is neither read nor changed.
 * {@link GrantedFilesAfterStartTest} covers what changes once the app runs.
 */
class GrantedFilesSandboxTest {

    private static final String SECRET = "host secret 7f3a\n";

    @TempDir
    Path root;

    Path app;
    Path outside;
    Path secret;
    AppHarness harness;

    @BeforeEach
    void setUp() throws Exception {
        app = Files.createDirectories(root.resolve("app"));
        outside = Files.createDirectories(root.resolve("host"));
        secret = Files.writeString(outside.resolve("shadow"), SECRET);
        Files.setLastModifiedTime(secret, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        Files.createDirectories(app.resolve("data"));
        Files.writeString(app.resolve("data/value.txt"), "42\n");
        Files.createDirectories(app.resolve("static"));
        Files.writeString(app.resolve("static/greeting.txt"), "hi\n");
        TestApps.app(app, "/read=files");
        harness = new AppHarness(16L << 20, Duration.ofSeconds(60));
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
        // Nothing outside the grant was written: same content, same modification time.
        assertThat(Files.readString(secret)).isEqualTo(SECRET);
        assertThat(Files.getLastModifiedTime(secret).toInstant()).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
        try (var listing = Files.list(outside)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("shadow");
        }
    }

    @Test
    void absoluteLinkToAHostDirectoryInAPlainGrantIsRefused() throws Exception {
        Files.createSymbolicLink(app.resolve("data/x"), outside);
        assertRefused("{ source = \"data\", destination = \"/data\" }", "data/x is a symbolic link");
    }

    @Test
    void relativeLinkToAHostFileInAPlainGrantIsRefused() throws Exception {
        Files.createSymbolicLink(app.resolve("data/shadow"), Path.of("../../host/shadow"));
        assertRefused("{ source = \"data\", destination = \"/data\" }", "data/shadow is a symbolic link");
    }

    @Test
    void linkDeepInsideAPlainGrantIsRefused() throws Exception {
        Files.createDirectories(app.resolve("data/a/b"));
        Files.createSymbolicLink(app.resolve("data/a/b/c"), outside);
        assertRefused("{ source = \"data\", destination = \"/data\" }", "data/a/b/c is a symbolic link");
    }

    @Test
    void linkThatStaysInsideTheAppIsStillRefused() throws Exception {
        // A chain: data/first -> second -> the secret; even an inner hop is a link the module could retarget.
        Files.createSymbolicLink(app.resolve("data/second"), secret);
        Files.createSymbolicLink(app.resolve("data/first"), Path.of("second"));
        assertRefused("{ source = \"data\", destination = \"/data\" }", "is a symbolic link");
    }

    @Test
    void linkOnTheWayToAGrantedDirectoryIsRefused() throws Exception {
        // The manifest check lets "alias/sub" pass (it resolves inside the app); the copy opens
        // each component without following links, so it refuses the hop instead of taking it.
        Files.createDirectories(app.resolve("data/sub"));
        Files.createSymbolicLink(app.resolve("alias"), Path.of("data"));
        assertRefused("{ source = \"alias/sub\", destination = \"/data\" }", "alias is a symbolic link");
    }

    @Test
    void hardLinkToAHostFileIsRefused() throws Exception {
        Files.createLink(app.resolve("data/alias"), secret);
        assertRefused("{ source = \"data\", destination = \"/data\" }", "data/alias is a hard link");
    }

    @Test
    void fifoInAPlainGrantIsRefused() throws Exception {
        Process mkfifo = new ProcessBuilder("mkfifo", app.resolve("data/pipe").toString()).start();
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mkfifo.exitValue()).isZero();
        assertRefused("{ source = \"data\", destination = \"/data\" }", "data/pipe is a device, FIFO or socket");
    }

    @Test
    void globMatchingALinkToAHostFileIsRefused() throws Exception {
        Files.createSymbolicLink(app.resolve("static/shadow.txt"), secret);
        assertRefused("\"static/*.txt\"", "static/shadow.txt is a symbolic link");
    }

    @Test
    void globMatchingALinkToAHostDirectoryIsRefusedAndNotDescended() throws Exception {
        Files.createSymbolicLink(app.resolve("static/host"), outside);
        assertRefused("\"static/**\"", "static/host is a symbolic link");
    }

    @Test
    void plainFilesAreStillServed() throws Exception {
        grant("\"static/*.txt\", { source = \"data\", destination = \"/data\" }");
        try (RunningApp running = harness.start("c-plain", app)) {
            assertThat(harness.get(running, "/read?/data/value.txt").body()).isEqualTo("42\n");
            assertThat(harness.get(running, "/read?/static/greeting.txt").body())
                    .isEqualTo("hi\n");
        }
    }

    private void assertRefused(String grants, String expected) throws Exception {
        grant(grants);
        assertThatThrownBy(() -> harness.start("c-link", app))
                .isInstanceOf(WorkloadException.class)
                .hasMessageContaining(expected)
                .hasMessageNotContaining(SECRET.strip())
                .satisfies(e -> assertThat(((WorkloadException) e).reason()).isEqualTo("invalid_manifest"));
    }

    private void grant(String grants) throws Exception {
        Path manifest = app.resolve("spin.toml");
        Files.writeString(manifest, Files.readString(manifest) + "files = [" + grants + "]\n");
    }
}
