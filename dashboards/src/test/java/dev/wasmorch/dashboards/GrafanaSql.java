package dev.wasmorch.dashboards;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns a dashboard's raw SQL into what Grafana's PostgreSQL data source sends to the server:
 * template variables first (the frontend: a multi-value or include-all variable becomes a list of
 * quoted literals, {@code ${var:sqlstring}} always quotes, a single plain value stands bare), then
 * the backend's macros ({@code pkg/tsdb/grafana-postgresql-datasource/macros.go}: $__timeFilter,
 * $__timeFrom, $__timeTo, $__time, $__timeEpoch, $__timeGroup, $__timeGroupAlias).
 */
final class GrafanaSql {

    /** A variable's current values and whether Grafana treats it as multi-valued. */
    record Variable(List<String> values, boolean multi) {}

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::(\\w+))?}|\\$(\\w+)");
    private static final Pattern MACRO = Pattern.compile("\\$(__\\w+)\\(([^)]*)\\)");

    private final Instant from;
    private final Instant to;
    private final Duration interval;

    GrafanaSql(Instant from, Instant to, Duration interval) {
        this.from = from;
        this.to = to;
        this.interval = interval;
    }

    String expand(String sql, Map<String, Variable> variables) {
        return macros(variables(sql, variables));
    }

    private String variables(String sql, Map<String, Variable> variables) {
        Matcher m = VARIABLE.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(3);
            String format = m.group(2);
            String replacement;
            if (name.equals("__interval")) {
                replacement = interval.toSeconds() % 60 == 0 ? interval.toMinutes() + "m" : interval.toSeconds() + "s";
            } else if (name.startsWith("__")) {
                replacement = m.group(); // a macro, expanded by the backend
            } else {
                Variable v = variables.get(name);
                if (v == null) {
                    throw new IllegalArgumentException("query uses undefined variable $" + name + ": " + sql);
                }
                boolean quote = v.multi() || "sqlstring".equals(format);
                replacement = quote
                        ? v.values().stream().map(GrafanaSql::quoteLiteral).collect(Collectors.joining(","))
                        : String.join(",", v.values());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The frontend's quoteLiteral: single quotes, embedded quotes doubled. */
    static String quoteLiteral(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private String macros(String sql) {
        Matcher m = MACRO.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String[] args = m.group(2).split(",");
            for (int i = 0; i < args.length; i++) {
                args[i] = args[i].trim();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(macro(m.group(1), args)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String macro(String name, String[] args) {
        return switch (name) {
            case "__time" -> args[0] + " AS \"time\"";
            case "__timeEpoch" -> "extract(epoch from " + args[0] + ") as \"time\"";
            case "__timeFilter" -> args[0] + " BETWEEN '" + from + "' AND '" + to + "'";
            case "__timeFrom" -> "'" + from + "'";
            case "__timeTo" -> "'" + to + "'";
            case "__timeGroup" -> timeGroup(args);
            case "__timeGroupAlias" -> timeGroup(args) + " AS \"time\"";
            default -> throw new IllegalArgumentException("unknown macro $" + name);
        };
    }

    private static String timeGroup(String[] args) {
        if (args.length < 2) {
            throw new IllegalArgumentException("$__timeGroup needs a column and an interval");
        }
        long seconds = parseInterval(args[1].replace("'", ""));
        return "floor(extract(epoch from " + args[0] + ")/" + seconds + ")*" + seconds;
    }

    private static long parseInterval(String s) {
        long n = Long.parseLong(s.substring(0, s.length() - 1));
        return switch (s.charAt(s.length() - 1)) {
            case 's' -> n;
            case 'm' -> n * 60;
            case 'h' -> n * 3600;
            case 'd' -> n * 86400;
            default -> throw new IllegalArgumentException("interval " + s);
        };
    }
}
