package dev.wasmorch.experiment.run;

import dev.wasmorch.experiment.model.Scenario;
import dev.wasmorch.experiment.model.Trial;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The time a run has left: for each trial still to come, the mean time the trials of its scenario
 * took so far; a scenario not begun yet is guessed as an instantiation trial plus its hey duration.
 */
final class Eta {

    private final Map<Scenario, long[]> spent = new EnumMap<>(Scenario.class); // {nanos, count}
    private final Map<Scenario, Duration> load;

    Eta(Map<Scenario, Duration> load) {
        this.load = load;
    }

    void done(Scenario scenario, Duration took) {
        long[] s = spent.computeIfAbsent(scenario, k -> new long[2]);
        s[0] += took.toNanos();
        s[1]++;
    }

    /** The estimate for the trials from {@code next} on, or {@code null} before any trial ended. */
    Duration left(List<Trial> trials, int next) {
        if (spent.isEmpty()) {
            return null;
        }
        double nanos = 0;
        for (int i = next; i < trials.size(); i++) {
            nanos += estimate(trials.get(i).scenario());
        }
        return Duration.ofNanos((long) nanos);
    }

    private double estimate(Scenario scenario) {
        long[] s = spent.get(scenario);
        if (s != null) {
            return (double) s[0] / s[1];
        }
        long[] any = spent.getOrDefault(
                Scenario.INSTANTIATION, spent.values().iterator().next());
        return (double) any[0] / any[1]
                + load.getOrDefault(scenario, Duration.ZERO).toNanos();
    }

    /** {@code 1h02m}, {@code 4m05s}, {@code 12s}. */
    static String format(Duration d) {
        long s = d.toSeconds();
        if (s >= 3600) {
            return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        if (s >= 60) {
            return String.format("%dm%02ds", s / 60, s % 60);
        }
        return s + "s";
    }
}
