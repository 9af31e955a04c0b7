package dev.wasmorch.pipeline.parse;

import dev.wasmorch.pipeline.model.LifecycleEvent;
import dev.wasmorch.pipeline.model.Reject;
import java.util.List;

/**
 * What one line gave: events, or a reject, or nothing (a line of no interest, or one whose content
 * the analyzer reads and ignores, such as a Kubernetes Event with a reason that makes no phase).
 */
public record ParseResult(List<LifecycleEvent> events, Reject reject) {

    private static final ParseResult SKIP = new ParseResult(List.of(), null);

    public ParseResult {
        events = List.copyOf(events);
    }

    public static ParseResult skip() {
        return SKIP;
    }

    static ParseResult of(List<LifecycleEvent> events) {
        return events.isEmpty() ? SKIP : new ParseResult(events, null);
    }

    static ParseResult rejected(Reject reject) {
        return new ParseResult(List.of(), reject);
    }

    /** True when the line gave neither events nor a reject. */
    public boolean skipped() {
        return events.isEmpty() && reject == null;
    }
}
