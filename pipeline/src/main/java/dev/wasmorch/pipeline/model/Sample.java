package dev.wasmorch.pipeline.model;

/**
 * One measured value, the unit the statistics work on.
 *
 * @param scenario e.g. {@code instantiation}, {@code serial}, {@code concurrent}, or the
 *                 experiment label given with {@code --scenario}
 * @param function function name (aes, matmul, ...)
 * @param runtime  wasm or container
 * @param metric   metric name (contract/log-format.md and pipeline/README.md list them)
 * @param value    seconds
 */
public record Sample(String scenario, String function, Runtime runtime, String metric, double value) {}
