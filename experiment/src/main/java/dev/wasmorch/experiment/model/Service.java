package dev.wasmorch.experiment.model;

/** A backing service of the catalog: the environment variable that hands its URL to a function. */
public record Service(String name, String env) {}
