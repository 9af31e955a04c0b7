package dev.wasmorch.pipeline.parse;

import dev.wasmorch.pipeline.model.LifecycleEvent;
import dev.wasmorch.pipeline.model.Origin;
import dev.wasmorch.pipeline.model.Phase;
import dev.wasmorch.pipeline.model.RawLine;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Map;

/** One line being parsed: where it came from, its wrapper, its klog header, and the options. */
final class LineContext {

    final RawLine line;
    final Envelope envelope;
    /** The klog header at the start of the message, or null. */
    final KlogHeader klog;

    private final ParserOptions options;

    LineContext(RawLine line, Envelope envelope, KlogHeader klog, ParserOptions options) {
        this.line = line;
        this.envelope = envelope;
        this.klog = klog;
        this.options = options;
    }

    /**
     * The klog header's time. Its year: {@link ParserOptions#year()}, else that of the journald
     * record or dated prefix, else that of the file's modification time; a header month after the
     * reference's month belongs to the year before (a log of December read in January).
     */
    Instant klogTime() throws LineRejected {
        if (klog == null) {
            throw new LineRejected(
                    Reasons.BAD_TIMESTAMP, "no klog header (Lmmdd hh:mm:ss.uuuuuu ...]) to take the time from");
        }
        int year;
        if (options.year() != null) {
            year = options.year();
        } else {
            Instant ref = envelope.reference();
            if (ref == null && line.fileModifiedMs() > 0) {
                ref = Instant.ofEpochMilli(line.fileModifiedMs());
            }
            if (ref == null) {
                throw new LineRejected(
                        Reasons.BAD_TIMESTAMP,
                        "klog header has no year and neither the year option, the record nor the file's date gives one");
            }
            ZonedDateTime r = ref.atZone(options.klogZone());
            year = klog.month() > r.getMonthValue() ? r.getYear() - 1 : r.getYear();
        }
        return klog.toInstant(year, options.klogZone());
    }

    LifecycleEvent event(
            Instant time,
            Phase phase,
            String namespace,
            String pod,
            String uid,
            String node,
            String host,
            String component,
            String container,
            String handler,
            Origin origin,
            boolean secondsPrecision) {
        return new LifecycleEvent(
                time,
                phase,
                namespace,
                pod,
                uid,
                node,
                host,
                component,
                container,
                handler,
                origin,
                secondsPrecision,
                line.file(),
                line.line());
    }

    static String require(Map<String, String> fields, String key) throws LineRejected {
        String v = fields.get(key);
        if (v == null) {
            throw new LineRejected(Reasons.MISSING_FIELD, "field " + key + " is missing");
        }
        if (v.isEmpty()) {
            throw new LineRejected(Reasons.MISSING_FIELD, "field " + key + " is empty");
        }
        return v;
    }

    /** Splits klog's {@code namespace/name} object reference. */
    static String[] namespacedName(String value, String field) throws LineRejected {
        int slash = value.indexOf('/');
        if (slash <= 0 || slash == value.length() - 1 || value.indexOf('/', slash + 1) >= 0) {
            throw new LineRejected(
                    Reasons.BAD_VALUE, "field " + field + ": '" + KeyValues.clip(value) + "' is not namespace/name");
        }
        return new String[] {value.substring(0, slash), value.substring(slash + 1)};
    }
}
