package dev.wasmorch.experiment.model;

/** The size of a function's OCI image for a runtime, as the backend stores it. */
public record ImageSize(String function, Runtime runtime, String image, long bytes) {}
