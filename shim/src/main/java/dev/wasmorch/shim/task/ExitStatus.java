package dev.wasmorch.shim.task;

import java.time.Instant;

/** How and when a task ended; {@code 128 + signal} when it was killed, as shells and runc report it. */
public record ExitStatus(int code, Instant at) {}
