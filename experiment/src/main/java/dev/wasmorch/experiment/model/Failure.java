package dev.wasmorch.experiment.model;

/**
 * A measurement that did not happen, kept with its error instead of being dropped.
 *
 * @param pod the pod's name, or empty when no pod was involved
 * @param step what failed ({@code deploy}, {@code first-invocation}, {@code load}, {@code remove}, {@code size})
 * @param at when, in microseconds since the epoch
 */
public record Failure(
        String scenario,
        String function,
        Runtime runtime,
        int repetition,
        String pod,
        String step,
        String error,
        long at) {}
