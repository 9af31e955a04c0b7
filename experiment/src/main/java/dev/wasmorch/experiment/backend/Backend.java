package dev.wasmorch.experiment.backend;

import dev.wasmorch.experiment.model.Deployment;
import dev.wasmorch.experiment.model.FunctionSpec;
import dev.wasmorch.experiment.model.ImageSize;
import dev.wasmorch.experiment.model.PodRef;
import dev.wasmorch.experiment.model.PodSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where the pods run: one machine through CRI ({@code local}) or a cluster ({@code kubernetes}). The
 * runner measures through this interface only, so both backends give the same result files.
 *
 * <p>Calls come from one runner thread, except {@link #removeAll()}, which the shutdown hook calls
 * from its own thread while a {@link #deploy} may still be in flight: an implementation keeps the
 * pods it made in a thread-safe registry from the moment it asks for them.
 */
public interface Backend extends AutoCloseable {

    /** The name on the command line ({@code --backend NAME}). */
    String name();

    /**
     * Prepares the node or cluster for these functions: images, backing services, whatever the
     * backend needs before the first pod. Native lifecycle lines the backend writes go to files in
     * {@code setup.lifecycleDir()}; long steps report through {@code setup.progress()}.
     */
    void prepare(Setup setup) throws BackendException;

    /**
     * Runs one pod and waits, within {@code setup.readiness()}'s bounds, until it answers. The pod is
     * registered for {@link #removeAll()} before the backend asks for it.
     *
     * @throws DeployException when the pod did not become ready: it names the pod as far as it was
     *     made and the timings it reached, so the runner records the failure and removes the pod
     */
    Deployment deploy(PodSpec spec) throws DeployException;

    /** Removes a pod (its containers and sandbox, or its objects); removing a removed pod is no error. */
    void remove(PodRef pod) throws BackendException;

    /**
     * Removes every pod this backend made and has not removed yet, each attempt bounded in time; never
     * throws. For the Ctrl-C hook and for the end of a run. Afterwards {@link #deploy} refuses (a
     * deploy in flight on the runner's thread must not leave a pod behind the hook's back).
     *
     * @return the pods it could not remove, each with the reason
     */
    Map<PodRef, String> removeAll();

    /** The sizes of the function's WASM and native images as the backend stores them. */
    List<ImageSize> imageSizes(FunctionSpec function) throws BackendException;

    /**
     * What the run's metadata records about the backend: versions (containerd, runc, the shim, K3s,
     * ...) and its configuration, as name → value.
     */
    Map<String, String> facts();

    /**
     * Writes what the backend gathers only at the end (node logs, a pod snapshot) into {@code dir};
     * called once after the last pod, also after an interrupted run.
     */
    void collect(Path dir) throws BackendException;

    /** Stops what {@link #prepare} started (a private node, port-forwards, services). */
    @Override
    void close();

    /**
     * What {@link #prepare} needs.
     *
     * @param functions the functions of the run, in catalog order
     * @param lifecycleDir where native lifecycle lines go (the analyzer's {@code --logs})
     * @param readiness the bounds of every wait for a pod
     * @param progress one line per long step
     */
    record Setup(List<FunctionSpec> functions, Path lifecycleDir, Readiness readiness, Progress progress) {}

    /** A line of progress for the user. */
    @FunctionalInterface
    interface Progress {
        void line(String text);
    }
}
