package dev.wasmorch.pipeline.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What wraps a log message: a {@code journalctl -o json} record, a CRI container-log prefix
 * ({@code 2026-11-26T21:24:09.123456789Z stderr F }), or a syslog/journald text prefix
 * ({@code Nov 26 21:24:09 host k3s[1234]: }, also the ISO-dated variants), or nothing.
 *
 * @param message   the message the component wrote
 * @param host      the host the wrapper names (journald {@code _HOSTNAME}, syslog host), or null
 * @param reference a full-date instant close to the line's time (journald
 *                  {@code __REALTIME_TIMESTAMP}, a dated prefix), or null; it dates klog headers
 */
record Envelope(String message, String host, Instant reference) {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Pattern CRI = Pattern.compile(
            "^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,9})?(?:Z|[+-]\\d\\d:\\d\\d)) (?:stdout|stderr) [FP] ");
    private static final Pattern SYSLOG_ISO = Pattern.compile(
            "^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,9})?(?:Z|[+-]\\d\\d:?\\d\\d)) (\\S+) [^\\s\\[:]+(?:\\[\\d+\\])?: ");
    private static final Pattern SYSLOG_BSD = Pattern.compile(
            "^[A-Z][a-z]{2} [ 0-3]\\d \\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,9})? (\\S+) [^\\s\\[:]+(?:\\[\\d+\\])?: ");

    /** Unwraps {@code text}; a JSON record without a usable MESSAGE is rejected as bad_json. */
    static Envelope unwrap(String text) throws LineRejected {
        if (!text.isEmpty() && text.charAt(0) == '{') {
            return journal(text);
        }
        if (!text.isEmpty() && text.charAt(0) >= '0' && text.charAt(0) <= '9') {
            Matcher m = CRI.matcher(text);
            if (m.lookingAt()) {
                return new Envelope(text.substring(m.end()), null, isoInstant(m.group(1)));
            }
            m = SYSLOG_ISO.matcher(text);
            if (m.lookingAt()) {
                return new Envelope(text.substring(m.end()), m.group(2), isoInstant(m.group(1)));
            }
        }
        Matcher m = SYSLOG_BSD.matcher(text);
        if (m.lookingAt()) {
            return new Envelope(text.substring(m.end()), m.group(1), null);
        }
        return new Envelope(text, null, null);
    }

    private static Envelope journal(String text) throws LineRejected {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new LineRejected(Reasons.BAD_JSON, "not a JSON record: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new LineRejected(Reasons.BAD_JSON, "not a JSON object");
        }
        JsonNode msg = root.get("MESSAGE");
        if (msg == null) {
            throw new LineRejected(
                    Reasons.BAD_JSON,
                    "field MESSAGE missing: not a journalctl -o json record (Kubernetes JSON logging is not read)");
        }
        String message;
        if (msg.isTextual()) {
            message = msg.asText();
        } else if (msg.isArray()) {
            // journald writes a message that is not valid UTF-8 text as an array of its bytes.
            byte[] bytes = new byte[msg.size()];
            for (int i = 0; i < bytes.length; i++) {
                JsonNode b = msg.get(i);
                if (!b.canConvertToInt() || b.asInt() < 0 || b.asInt() > 255) {
                    throw new LineRejected(Reasons.BAD_JSON, "field MESSAGE: element " + i + " is not a byte");
                }
                bytes[i] = (byte) b.asInt();
            }
            message = Utf8.decode(bytes, 0, bytes.length);
        } else {
            throw new LineRejected(Reasons.BAD_JSON, "field MESSAGE is neither a string nor an array of bytes");
        }
        JsonNode host = root.get("_HOSTNAME");
        Instant reference = null;
        JsonNode rt = root.get("__REALTIME_TIMESTAMP");
        if (rt != null) {
            try {
                long micros = Long.parseLong(rt.asText());
                reference = Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000);
            } catch (NumberFormatException e) {
                throw new LineRejected(
                        Reasons.BAD_JSON,
                        "field __REALTIME_TIMESTAMP: '" + KeyValues.clip(rt.asText()) + "' is not microseconds");
            }
        }
        return new Envelope(message, host != null && host.isTextual() ? host.asText() : null, reference);
    }

    private static Instant isoInstant(String s) {
        String normalized = s.length() > 5 && (s.charAt(s.length() - 5) == '+' || s.charAt(s.length() - 5) == '-')
                ? s.substring(0, s.length() - 2) + ":" + s.substring(s.length() - 2)
                : s;
        try {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(normalized, Instant::from);
        } catch (DateTimeParseException e) {
            return null; // the prefix only dates klog headers; an impossible date just does not help
        }
    }
}
