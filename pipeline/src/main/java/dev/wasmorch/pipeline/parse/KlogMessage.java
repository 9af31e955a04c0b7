package dev.wasmorch.pipeline.parse;

import dev.wasmorch.pipeline.model.LifecycleEvent;
import java.util.List;
import java.util.Map;

/**
 * A klog structured line of an unpatched cluster, recognized by its quoted message; its key-value
 * pairs after the message go to {@code reader}.
 */
record KlogMessage(String message, Reader reader) implements Dialect {

    /** Reads the events of one such line from its fields. */
    interface Reader {
        List<LifecycleEvent> read(LineContext ctx, Map<String, String> fields) throws LineRejected;
    }

    @Override
    public String marker() {
        return message;
    }

    @Override
    public int find(String text) {
        return text.indexOf('"' + message + '"');
    }

    @Override
    public List<LifecycleEvent> parse(LineContext ctx, String text, int at) throws LineRejected {
        return reader.read(ctx, KeyValues.parseKlog(text, at + message.length() + 2));
    }
}
