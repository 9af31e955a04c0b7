package dev.wasmorch.experiment.model;

/**
 * One pod the run deploys and measures.
 *
 * @param repetition 1-based, per function and runtime
 */
public record Trial(Scenario scenario, FunctionSpec function, Runtime runtime, int repetition) {}
