package dev.wasmorch.shim.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

public class ThreadNiceTest {

    private record Seen(String problem, int nice) {}

    @Test
    void onlyTheCallingThreadGetsTheLowestPriority() throws Exception {
        int before = niceOf(Path.of("/proc/thread-self/stat"));
        CompletableFuture<Seen> seen = new CompletableFuture<>();
        Thread lowered = new Thread(() -> {
            try {
                String problem = ThreadNice.lowerThisThread();
                seen.complete(new Seen(problem, niceOf(Path.of("/proc/thread-self/stat"))));
            } catch (Exception e) {
                seen.completeExceptionally(e);
            }
        });
        lowered.start();
        Seen result = seen.get(10, TimeUnit.SECONDS);
        assertThat(result.problem()).isNull();
        assertThat(result.nice()).isEqualTo(ThreadNice.LOWEST);
        assertThat(niceOf(Path.of("/proc/thread-self/stat")))
                .as("the thread that started it")
                .isEqualTo(before);
    }

    /** A thread's nice value: field 19 of proc(5)'s stat, the 17th after the command's closing parenthesis. */
    public static int niceOf(Path stat) throws IOException {
        String s = Files.readString(stat);
        String[] after = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(after[16]);
    }
}
