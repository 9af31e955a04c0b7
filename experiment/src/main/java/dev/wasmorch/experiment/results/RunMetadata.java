package dev.wasmorch.experiment.results;

import java.util.Map;

/**
 * run.json: what makes a run comparable with another.
 *
 * @param runner the runner's version and Java
 * @param configuration the command line's settings (backend, functions, scenarios, repetitions, durations)
 * @param machine cores, memory, kernel, OS
 * @param backend the backend's facts (containerd, runc, shim versions, ...)
 * @param started RFC 3339
 * @param finished RFC 3339, or {@code null} while running
 * @param complete {@code false} while running and after an interrupted run
 * @param counts pods asked for, ready, failed, removed; failures
 */
public record RunMetadata(
        Map<String, String> runner,
        Map<String, Object> configuration,
        Map<String, String> machine,
        Map<String, String> backend,
        String started,
        String finished,
        boolean complete,
        String interruption,
        Map<String, Long> counts) {}
