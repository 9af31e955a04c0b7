package dev.wasmorch.experiment.backend;

import dev.wasmorch.experiment.model.PodRef;
import dev.wasmorch.experiment.model.PodTimings;

/**
 * A pod that did not become ready. It carries the pod as far as it was made (so it is removed and
 * named in the results) and the steps it reached (so the lifecycle log shows where it stopped).
 */
public final class DeployException extends BackendException {

    private final transient PodRef pod;
    private final transient PodTimings reached;

    public DeployException(String message, PodRef pod, PodTimings reached, Throwable cause) {
        super(message, cause);
        this.pod = pod;
        this.reached = reached;
    }

    public PodRef pod() {
        return pod;
    }

    public PodTimings reached() {
        return reached;
    }
}
