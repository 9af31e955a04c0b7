package dev.wasmorch.experiment.results;

import dev.wasmorch.experiment.model.Runtime;
import dev.wasmorch.experiment.model.Scenario;
import java.nio.file.Path;

/**
 * Where a run's files go: the 2023 study's published layout (shared/paper-data/README.md), so that
 * {@code analyze --paper-data OUT} reads a new run as it reads the study, and beside it what the
 * study did not publish.
 *
 * <pre>
 * 01-serial-execution/{wasm,openfaas}/FUNCTION-serial.csv                  hey, serial
 * 02-function-deployment/{wasm,openfaas}/FUNCTION-function-deployment.csv  hey, first invocation after each redeploy
 * 03-concurrent-execution/{wasm,openfaas}/FUNCTION-concurrent-execution.csv hey, concurrent
 * 04-instantiation-time/{wasm,openfaas}-instantiation-time.csv             pod_name,test_name,init_time
 * image-sizes.csv      function,runtime,image,bytes
 * failures.csv         every measurement that did not happen, with its error
 * lifecycle/           native lifecycle lines (analyze --logs)
 * pods.json            the run's pods as a Pod List (analyze --pods)
 * run.json             versions, configuration, machine, counts, complete or not
 * </pre>
 *
 * The container side's folder keeps the study's name, {@code openfaas}: the analyzer's paper-data
 * reader knows the layout by these names (and reads {@code openfaas} as the container runtime).
 */
public record Layout(Path root) {

    /** The folder name of a runtime in the study's layout. */
    public static String folder(Runtime runtime) {
        return runtime == Runtime.WASM ? "wasm" : "openfaas";
    }

    /** The hey CSV of a scenario's responses; first invocations are {@link #firstInvocation}. */
    public Path responses(Scenario scenario, String function, Runtime runtime) {
        return switch (scenario) {
            case SERIAL ->
                root.resolve("01-serial-execution").resolve(folder(runtime)).resolve(function + "-serial.csv");
            case CONCURRENT ->
                root.resolve("03-concurrent-execution")
                        .resolve(folder(runtime))
                        .resolve(function + "-concurrent-execution.csv");
            default -> throw new IllegalArgumentException(scenario + " has no hey results");
        };
    }

    public Path firstInvocation(String function, Runtime runtime) {
        return root.resolve("02-function-deployment")
                .resolve(folder(runtime))
                .resolve(function + "-function-deployment.csv");
    }

    public Path instantiation(Runtime runtime) {
        return root.resolve("04-instantiation-time").resolve(folder(runtime) + "-instantiation-time.csv");
    }

    public Path imageSizes() {
        return root.resolve("image-sizes.csv");
    }

    public Path failures() {
        return root.resolve("failures.csv");
    }

    public Path lifecycleDir() {
        return root.resolve("lifecycle");
    }

    public Path pods() {
        return root.resolve("pods.json");
    }

    public Path metadata() {
        return root.resolve("run.json");
    }

    /** Where the runner's final analyses go (see experiment/README.md, "The report"). */
    public Path analysis() {
        return root.resolve("analysis");
    }
}
