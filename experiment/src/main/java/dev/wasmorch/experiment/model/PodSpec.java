package dev.wasmorch.experiment.model;

/**
 * What the runner asks a backend to run: one pod of a function on a runtime, for a scenario.
 *
 * @param name the pod's name (unique in the run)
 * @param scenario the scenario label the pod carries ({@code instantiation}, {@code serial}, ...)
 */
public record PodSpec(String name, FunctionSpec function, Runtime runtime, String scenario) {}
