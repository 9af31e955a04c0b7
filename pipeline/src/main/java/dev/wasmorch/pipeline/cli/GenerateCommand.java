package dev.wasmorch.pipeline.cli;

import dev.wasmorch.pipeline.demo.ClusterGenerator;
import dev.wasmorch.pipeline.demo.GeneratedCluster;
import dev.wasmorch.pipeline.demo.GeneratorOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code wasmorch generate}: the demo's cluster generator on its own, for benchmarks and experiments. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Writes a synthetic K3s cluster's logs (native lifecycle lines amid noise) and pods.json.")
final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write.")
    Path out;

    @Option(
            names = "--noise",
            defaultValue = "0.9",
            paramLabel = "RATIO",
            description = "Share of lines without lifecycle events, in [0, 1) (default: ${DEFAULT-VALUE}).")
    double noise;

    @Mixin
    ClusterOptions cluster;

    @Option(
            names = "--agents",
            defaultValue = "3",
            paramLabel = "N",
            description = "Agent nodes, at least 2 (default: ${DEFAULT-VALUE}).")
    int agents;

    @Option(names = "--gzip", description = "Gzip the log files.")
    boolean gzip;

    @Option(names = "--no-journald", description = "Write every node's log as klog text (no journalctl -o json file).")
    boolean noJournald;

    @Override
    public Integer call() throws Exception {
        GeneratorOptions options;
        try {
            options = GeneratorOptions.of(cluster.pods, noise, cluster.seed, agents)
                    .withGzip(gzip)
                    .withJournald(!noJournald);
        } catch (IllegalArgumentException e) {
            System.err.println("wasmorch: " + e.getMessage());
            return WasmorchCli.EXIT_INPUT;
        }
        GeneratedCluster c = new ClusterGenerator(options, System.err::println).generate(OutputDirectory.prepare(out));
        System.out.printf(
                "wasmorch: wrote %d pods (%d incomplete), %d lines (%d lifecycle, %d malformed, %d noise)%n",
                c.pods(), c.incompletePods(), c.lines(), c.lifecycleLines(), c.malformedLines(), c.noiseLines());
        c.logFiles().forEach(f -> System.out.println("  " + f));
        System.out.println("  " + c.podsJson());
        return 0;
    }
}
