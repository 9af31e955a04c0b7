package dev.wasmorch.pipeline.cli;

import dev.wasmorch.contract.pod.PodLabels;
import dev.wasmorch.pipeline.join.ClassifierOptions;
import dev.wasmorch.pipeline.join.ClassifyRule;
import dev.wasmorch.pipeline.join.ClassifyRulesFile;
import dev.wasmorch.pipeline.join.JoinOptions;
import dev.wasmorch.pipeline.join.NamePattern;
import dev.wasmorch.pipeline.parse.ParserOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

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
            defaultValue = PodLabels.WASM_RUNTIME_CLASSES,
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
            names = "--classify",
            paramLabel = "RUNTIME:MATCHER=VALUE",
            description = "A rule for pods the metadata does not decide, first match wins; MATCHER is namespace, name,"
                    + " node, label (VALUE is KEY=VALUE) or runtimeClass; '~' instead of '=' makes VALUE a regex."
                    + " Repeatable; tried before --classify-rules and --classify-preset.")
    List<String> classify = List.of();

    @Option(
            names = "--classify-rules",
            paramLabel = "FILE",
            description = "A YAML file of rules ('rules:' list of rules or 'preset: NAME'), tried after --classify.")
    Path classifyRules;

    @Option(
            names = "--classify-preset",
            paramLabel = "NAME",
            description = "Built-in rules, tried last: study-2023 (openfaas-fn container, default wasm),"
                    + " wasmorch (runtimeClass wasmorch wasm). Repeatable.")
    List<String> classifyPresets = List.of();

    @Option(
            names = "--name-pattern",
            paramLabel = "[SCENARIO=]REGEX",
            description =
                    "For pods without metadata: a regex over the whole pod name whose group (?<function>...) names"
                            + " the function; the scenario is SCENARIO, else a group (?<scenario>...). Repeatable, first"
                            + " match wins; metadata labels and owners come first.")
    List<String> namePatterns = List.of();

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

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** A bad rule, file or preset stops the run before any work with exit code 2, naming the flag. */
    JoinOptions join(boolean metadataGiven) {
        ClassifierOptions classifier = new ClassifierOptions(
                new LinkedHashSet<>(wasmRuntimeClasses),
                List.copyOf(functionLabels),
                scenarioLabel,
                scenario,
                rules(),
                namePatterns());
        return JoinOptions.batch(classifier, metadataGiven)
                .withPlausibleMax(Duration.ofNanos(Math.round(plausibleMaxSeconds * 1e9)));
    }

    private List<ClassifyRule> rules() {
        List<ClassifyRule> rules = new ArrayList<>(each(classify, "--classify ", ClassifyRule::parse));
        if (classifyRules != null) {
            try {
                rules.addAll(ClassifyRulesFile.read(classifyRules));
            } catch (IllegalArgumentException | IOException e) {
                throw new ParameterException(
                        command.commandLine(), "--classify-rules " + classifyRules + ": " + e.getMessage());
            }
        }
        each(classifyPresets, "--classify-preset: ", ClassifyRule::preset).forEach(rules::addAll);
        return List.copyOf(rules);
    }

    private List<NamePattern> namePatterns() {
        return each(namePatterns, "--name-pattern ", NamePattern::parse);
    }

    /** Each text parsed in order; the first the parser refuses is a ParameterException whose message starts with FLAG. */
    private <T> List<T> each(List<String> texts, String flag, Function<String, T> parser) {
        List<T> parsed = new ArrayList<>();
        for (String text : texts) {
            try {
                parsed.add(parser.apply(text));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(command.commandLine(), flag + e.getMessage());
            }
        }
        return List.copyOf(parsed);
    }

    int parallelism() {
        return parallelism != null ? parallelism : Runtime.getRuntime().availableProcessors();
    }
}
