package dev.wasmorch.experiment.model;

/** A pod that became ready: what it runs, its timings and where it answers. */
public record Deployment(PodRef pod, PodSpec spec, PodTimings timings, Endpoint endpoint) {}
