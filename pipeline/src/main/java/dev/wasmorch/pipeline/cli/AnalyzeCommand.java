package dev.wasmorch.pipeline.cli;

import dev.wasmorch.pipeline.job.AnalysisInputs;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code wasmorch analyze}: the batch analyzer. */
@Command(
        name = "analyze",
        mixinStandardHelpOptions = true,
        description = {
            "Batch analysis of pod-lifecycle logs and response-time results.",
            "Reads logs (with pod metadata) and/or hey and study CSVs and writes",
            "stats.csv, comparisons.csv, pods.csv, samples.csv, rejects.csv, summary.json and report.html,",
            "and with --jdbc-url the PostgreSQL tables the Grafana dashboards read."
        })
final class AnalyzeCommand implements Callable<Integer> {

    @Option(
            names = "--logs",
            arity = "1..*",
            paramLabel = "PATH",
            description = "Log files or directories (plain or .gz; klog, syslog, journalctl -o json).")
    List<String> logs = List.of();

    @ArgGroup(exclusive = true)
    MetadataSource metadata;

    static final class MetadataSource {
        @Option(
                names = "--pods",
                paramLabel = "FILE",
                description =
                        "Pod metadata snapshot: kubectl get pods -A -o json, or the stream job's JSON-lines archive.")
        Path podsFile;

        @Option(names = "--kube", description = "Take pod metadata from the Kubernetes API (kubeconfig or in-cluster).")
        boolean kube;
    }

    @Mixin
    KubeSelection selection;

    @Option(
            names = "--responses",
            arity = "1..*",
            paramLabel = "TEMPLATE",
            description = "hey -o csv files by path template, e.g. results/{scenario}/{runtime}/{function}.csv; "
                    + "without {scenario} the files are scenario 'serial'.")
    List<String> responses = List.of();

    @Option(
            names = "--instantiation-csv",
            arity = "1..*",
            paramLabel = "FILE",
            description = "The 2023 study's pod_name,test_name,init_time CSVs (runtime from the file name).")
    List<Path> instantiationCsvs = List.of();

    @Option(
            names = "--paper-data",
            paramLabel = "DIR",
            description = "A folder laid out like the 2023 study's public results (see README).")
    Path paperData;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--no-report", description = "Skip report.html.")
    boolean noReport;

    @Mixin
    AnalysisOptions options;

    @Mixin
    JdbcOptions jdbc;

    @Override
    public Integer call() throws Exception {
        OutputDirectory.prepare(out);
        try (JobCluster cluster = JobCluster.start(options.parallelism())) {
            AnalysisInputs inputs = new InputLoader(System.err)
                    .load(
                            logs,
                            metadata == null ? null : metadata.podsFile,
                            metadata != null && metadata.kube,
                            selection.namespace,
                            selection.selector,
                            responses,
                            instantiationCsvs,
                            paperData);
            AnalysisRunner.run(cluster, inputs, options, out, !noReport, jdbc.output(System.getenv()), System.out);
        }
        return 0;
    }
}
