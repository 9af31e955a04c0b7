package dev.wasmorch.experiment.model;

/** A pod the run made, as the analyzer will know it: namespace, name and UID. */
public record PodRef(String namespace, String name, String uid) {}
