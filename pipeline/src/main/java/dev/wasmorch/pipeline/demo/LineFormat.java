package dev.wasmorch.pipeline.demo;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * How a K3s process's log line looks on disk: behind a klog header in a log file, or as a
 * {@code journalctl -o json} record whose MESSAGE is that klog line.
 */
interface LineFormat {

    /**
     * One physical line.
     *
     * @param time     the host's clock when the line was logged
     * @param severity klog severity letter: I, W or E
     * @param source   klog's {@code file.go:line}; {@code null} for lines that have their own header
     * @param message  the message after the header
     */
    String line(Instant time, char severity, String source, String message);

    /** {@code Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg}, as k8s.io/klog writes it. */
    static String klog(Instant time, char severity, int pid, String source, String message) {
        if (source == null) {
            return message;
        }
        LocalDateTime t = LocalDateTime.ofEpochSecond(time.getEpochSecond(), time.getNano(), ZoneOffset.UTC);
        StringBuilder sb = new StringBuilder(40 + message.length());
        sb.append(severity);
        pad(sb, t.getMonthValue(), 2);
        pad(sb, t.getDayOfMonth(), 2);
        sb.append(' ');
        pad(sb, t.getHour(), 2);
        sb.append(':');
        pad(sb, t.getMinute(), 2);
        sb.append(':');
        pad(sb, t.getSecond(), 2);
        sb.append('.');
        pad(sb, t.getNano() / 1000, 6);
        sb.append(' ');
        String p = Integer.toString(pid);
        sb.append(" ".repeat(Math.max(0, 7 - p.length()))).append(p);
        sb.append(' ').append(source).append("] ").append(message);
        return sb.toString();
    }

    private static void pad(StringBuilder sb, int value, int width) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        sb.append(s);
    }

    /** Plain log file of one K3s process (server.log, agent-N.log). */
    static LineFormat klogFile(int pid) {
        return (time, severity, source, message) -> klog(time, severity, pid, source, message);
    }

    /**
     * {@code journalctl -o json}: one JSON object per line, all values strings, the realtime stamp
     * in microseconds since the epoch (journald receives the line ~0.1 ms after klog stamped it).
     */
    static LineFormat journald(String hostname, String unit, String bootId, int pid) {
        JsonStringEncoder json = JsonStringEncoder.getInstance();
        long boot = Instant.parse("2026-11-26T06:12:41.302117Z").getEpochSecond() * 1_000_000L;
        return (time, severity, source, message) -> {
            long realtime = time.getEpochSecond() * 1_000_000L + time.getNano() / 1000 + 87;
            String priority = switch (severity) {
                case 'E' -> "3";
                case 'W' -> "4";
                default -> "6";
            };
            StringBuilder sb = new StringBuilder(300 + message.length());
            sb.append("{\"__REALTIME_TIMESTAMP\":\"")
                    .append(realtime)
                    .append("\",\"__MONOTONIC_TIMESTAMP\":\"")
                    .append(realtime - boot)
                    .append("\",\"_BOOT_ID\":\"")
                    .append(bootId)
                    .append("\",\"PRIORITY\":\"")
                    .append(priority)
                    .append("\",\"SYSLOG_FACILITY\":\"3\",\"SYSLOG_IDENTIFIER\":\"k3s\",\"_TRANSPORT\":\"stdout\"")
                    .append(",\"_PID\":\"")
                    .append(pid)
                    .append("\",\"_COMM\":\"k3s-agent\",\"_SYSTEMD_UNIT\":\"")
                    .append(unit)
                    .append("\",\"_HOSTNAME\":\"")
                    .append(json.quoteAsString(hostname))
                    .append("\",\"MESSAGE\":\"")
                    .append(json.quoteAsString(klog(time, severity, pid, source, message)))
                    .append("\"}");
            return sb.toString();
        };
    }
}
