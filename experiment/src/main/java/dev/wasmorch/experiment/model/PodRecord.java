package dev.wasmorch.experiment.model;

/**
 * A pod the run asked for, whatever became of it: what it ran, the steps it reached and, when it
 * never became ready, the error.
 *
 * @param error {@code null} for a pod that became ready
 */
public record PodRecord(PodRef pod, PodSpec spec, PodTimings timings, String error) {}
