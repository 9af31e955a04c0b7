package dev.wasmorch.pipeline.source;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * How the tailing source finds and follows files.
 *
 * @param inputs            files and directories to follow (directories: their regular files,
 *                          not recursive, without compressed rotations such as {@code .gz})
 * @param discoveryInterval how often the inputs are listed for new and rotated files
 * @param pollInterval      how long a reader waits before looking again at files with no new data
 * @param progressInterval  how often a file's read-line count is reported downstream
 * @param maxLineBytes      longer lines are cut to this length (input is untrusted)
 */
public record TailOptions(
        List<String> inputs,
        Duration discoveryInterval,
        Duration pollInterval,
        Duration progressInterval,
        int maxLineBytes)
        implements Serializable {

    public TailOptions {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("the tailing source needs at least one file or directory");
        }
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be positive, was " + maxLineBytes);
        }
        inputs = List.copyOf(inputs);
    }

    /** Defaults for following live logs: discovery every second, polls every 50 ms, 1 MiB lines. */
    public static TailOptions of(List<String> inputs) {
        return new TailOptions(inputs, Duration.ofSeconds(1), Duration.ofMillis(50), Duration.ofSeconds(1), 1 << 20);
    }

    public TailOptions withIntervals(Duration discovery, Duration poll, Duration progress) {
        return new TailOptions(inputs, discovery, poll, progress, maxLineBytes);
    }
}
