package dev.wasmorch.experiment.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code 5m}, {@code 90s}, {@code 1m30s}, {@code 1h}: what the study's commands wrote (hey's -z). */
final class DurationParser implements ITypeConverter<Duration> {

    private static final Pattern PART = Pattern.compile("(\\d{1,6})(h|m|s)");

    @Override
    public Duration convert(String value) {
        Matcher m = PART.matcher(value);
        Duration d = Duration.ZERO;
        int end = 0;
        while (m.lookingAt()) {
            long n = Long.parseLong(m.group(1));
            d = d.plus(
                    switch (m.group(2)) {
                        case "h" -> Duration.ofHours(n);
                        case "m" -> Duration.ofMinutes(n);
                        default -> Duration.ofSeconds(n);
                    });
            end = m.end();
            m.region(end, value.length());
        }
        if (end == 0 || end != value.length() || d.isZero()) {
            throw new TypeConversionException("'" + value + "' is not a duration like 5m, 90s or 1m30s");
        }
        return d;
    }
}
