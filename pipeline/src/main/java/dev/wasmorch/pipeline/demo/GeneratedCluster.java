package dev.wasmorch.pipeline.demo;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link ClusterGenerator#generate} wrote.
 *
 * @param logFiles        the log files (server first, then the agents)
 * @param podsJson        the {@code kubectl get pods -A -o json} snapshot
 * @param pods            pods generated
 * @param incompletePods  pods whose container never started
 * @param lines           all lines of the log files
 * @param lifecycleLines  valid lifecycle event lines
 * @param malformedLines  damaged lifecycle lines the analyzer must reject
 * @param noiseLines      chatter lines without events
 * @param peakBuffered    the most lines held in memory at once to put them in time order
 */
public record GeneratedCluster(
        List<Path> logFiles,
        Path podsJson,
        int pods,
        int incompletePods,
        long lines,
        long lifecycleLines,
        long malformedLines,
        long noiseLines,
        int peakBuffered) {

    public GeneratedCluster {
        logFiles = List.copyOf(logFiles);
    }
}
