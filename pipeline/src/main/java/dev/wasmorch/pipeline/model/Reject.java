package dev.wasmorch.pipeline.model;

/**
 * A line of interest that could not be used. Nothing is dropped silently: every reject is counted
 * by reason and written to rejects.csv with its file and line.
 *
 * @param file    source file
 * @param line    1-based line number
 * @param reason  a short machine-readable reason (documented in pipeline/README.md)
 * @param detail  a human-readable explanation naming the field at fault
 * @param excerpt the start of the offending line, control characters escaped, at most 200 chars
 */
public record Reject(String file, long line, String reason, String detail, String excerpt) {}
