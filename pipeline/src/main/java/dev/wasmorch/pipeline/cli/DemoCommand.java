package dev.wasmorch.pipeline.cli;

import dev.wasmorch.pipeline.demo.ClusterGenerator;
import dev.wasmorch.pipeline.demo.GeneratedCluster;
import dev.wasmorch.pipeline.demo.GeneratorOptions;
import dev.wasmorch.pipeline.job.AnalysisInputs;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code wasmorch demo}: generate a synthetic K3s cluster's logs and analyze them, no cluster needed. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Generates a synthetic K3s cluster's logs and analyzes them (no cluster needed).",
            "The cluster: a server and agents, the study's nine functions as WASM and container pods,",
            "K3s-like noise and a pod snapshot; the analysis runs end to end as on real logs."
        })
final class DemoCommand implements Callable<Integer> {

    @Option(
            names = "--out",
            defaultValue = "wasmorch-out",
            paramLabel = "DIR",
            description = "Output directory; the generated input goes to DIR/input (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    AnalysisOptions options;

    @Override
    public Integer call() throws Exception {
        OutputDirectory.prepare(out);
        try (JobCluster jobs = JobCluster.start(options.parallelism())) {
            Path input = out.resolve("input");
            GeneratedCluster generated = new ClusterGenerator(
                            GeneratorOptions.of(cluster.pods, 0.9, cluster.seed, 3), System.err::println)
                    .generate(input);
            System.out.printf(
                    "wasmorch: generated %d pods, %d log lines in %d files under %s%n",
                    generated.pods(), generated.lines(), generated.logFiles().size(), input);
            AnalysisInputs inputs = new InputLoader(System.err)
                    .load(
                            generated.logFiles().stream().map(Path::toString).toList(),
                            generated.podsJson(),
                            false,
                            null,
                            null,
                            List.of(),
                            List.of(),
                            null);
            AnalysisRunner.run(jobs, inputs, options, out, true, null, System.out);
        }
        return 0;
    }
}
