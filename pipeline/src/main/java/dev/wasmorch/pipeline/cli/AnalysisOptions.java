package dev.wasmorch.pipeline.cli;

import dev.wasmorch.contract.pod.PodLabels;
import dev.wasmorch.pipeline.join.ClassifierOptions;
import dev.wasmorch.pipeline.join.JoinOptions;
import dev.wasmorch.pipeline.parse.ParserOptions;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine.Option;

/** Options of every command that runs an analysis (a picocli mixin). */
public final class AnalysisOptions {

    @Option(names = "--parallelism", paramLabel = "N", description = "Flink parallelism (default: number of cores).")
    Integer parallelism;

    @Option(
            names = "--scenario",
            paramLabel = "NAME",
            defaultValue = "instantiation",
            description = "Scenario of pods without a scenario label (default: ${DEFAULT-VALUE}).")
    String scenario;

    @Option(
            names = "--scenario-label",
            paramLabel = "LABEL",
            defaultValue = PodLabels.SCENARIO,
            description = "Pod label holding the scenario/experiment name (default: ${DEFAULT-VALUE}).")
    String scenarioLabel;

    @Option(
            names = "--wasm-runtime-classes",
            split = ",",
            paramLabel = "NAME",
            defaultValue = "wasmorch,spin,wasmtime,wasmedge,wasmer,slight,wws,lunatic",
            description = "runtimeClassName values / CRI handlers that mean WASM (default: ${DEFAULT-VALUE}).")
    List<String> wasmRuntimeClasses;

    @Option(
            names = "--function-labels",
            split = ",",
            paramLabel = "LABEL",
            defaultValue = PodLabels.FUNCTION + ",faas_function,app.kubernetes.io/name,app",
            description = "Labels tried in order for the function name (default: ${DEFAULT-VALUE}).")
    List<String> functionLabels;

    @Option(
            names = "--year",
            paramLabel = "YYYY",
            description = "Year of year-less klog/syslog times (default: from journald records or file dates).")
    Integer year;

    @Option(
            names = "--klog-zone",
            paramLabel = "ZONE",
            defaultValue = "UTC",
            description = "Time zone of klog/syslog times (default: ${DEFAULT-VALUE}).")
    ZoneId klogZone;

    @Option(
            names = "--max-line",
            paramLabel = "CHARS",
            defaultValue = "65536",
            description = "Longer lines of interest are rejected as line_too_long (default: ${DEFAULT-VALUE}).")
    int maxLineChars;

    @Option(
            names = "--plausible-max",
            paramLabel = "SECONDS",
            defaultValue = "600",
            description =
                    "Intervals above this are flagged implausible and kept out of statistics (default: ${DEFAULT-VALUE}).")
    double plausibleMaxSeconds;

    ParserOptions parser() {
        return new ParserOptions(year, klogZone, maxLineChars);
    }

    JoinOptions join(boolean metadataGiven) {
        ClassifierOptions classifier = new ClassifierOptions(
                new LinkedHashSet<>(wasmRuntimeClasses), List.copyOf(functionLabels), scenarioLabel, scenario);
        return JoinOptions.batch(classifier, metadataGiven)
                .withPlausibleMax(Duration.ofNanos(Math.round(plausibleMaxSeconds * 1e9)));
    }

    int parallelism() {
        return parallelism != null ? parallelism : Runtime.getRuntime().availableProcessors();
    }
}
