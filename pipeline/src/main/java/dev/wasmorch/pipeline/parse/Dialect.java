package dev.wasmorch.pipeline.parse;

import dev.wasmorch.pipeline.model.LifecycleEvent;
import java.util.List;

/**
 * One log dialect: how {@link LineParser} recognizes a message of it and reads its events. A new
 * dialect implements this and is registered in {@link Dialects#ALL}; the byte pre-filter then looks
 * for its marker too.
 */
interface Dialect {

    /**
     * Text every message of this dialect holds, as it also stands in raw bytes and inside a JSON
     * string (no quotes, nothing JSON escapes): {@link InterestFilter} passes a line only when it
     * holds one of these.
     */
    String marker();

    /** Where this dialect's part of {@code message} starts, or -1 when the message is not of it. */
    int find(String message);

    /**
     * The events of a message this dialect found at {@code at}; none for a message of no interest
     * (an Event reason that is no lifecycle step, say).
     */
    List<LifecycleEvent> parse(LineContext ctx, String message, int at) throws LineRejected;
}
