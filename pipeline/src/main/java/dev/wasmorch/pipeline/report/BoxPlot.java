package dev.wasmorch.pipeline.report;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Distribution per function and runtime as Tukey box plots: box from the first to the third
 * quartile, a line at the median, whiskers to the most extreme values within 1.5 IQR.
 */
final class BoxPlot {

    private BoxPlot() {}

    /** Renders the per-function groups of one scenario and metric; {@code null} when there are none. */
    static String render(String scenario, String metric, Map<SampleDigests.Key, Reservoir> groups) {
        Map<String, Map<String, Reservoir>> byFunction = new TreeMap<>();
        double top = 0;
        for (Map.Entry<SampleDigests.Key, Reservoir> e : groups.entrySet()) {
            SampleDigests.Key k = e.getKey();
            if (k.scenario().equals(scenario)
                    && k.metric().equals(metric)
                    && !k.function().equals(SampleDigests.ALL_FUNCTIONS)) {
                byFunction.computeIfAbsent(k.function(), f -> new TreeMap<>()).put(k.runtime(), e.getValue());
                top = Math.max(top, e.getValue().whiskers()[1]);
            }
        }
        return GroupedFrame.render(
                byFunction,
                top,
                "boxes",
                "Distribution of " + metric + " per function, " + scenario,
                metric + " (s)",
                BoxPlot::box);
    }

    private static void box(
            StringBuilder svg, GroupedFrame frame, int g, int k, String function, String runtime, Reservoir r) {
        double cx = frame.x(g, k);
        double half = GroupedFrame.SLOT / 2 - 2;
        double q1 = r.quantile(0.25);
        double median = r.quantile(0.5);
        double q3 = r.quantile(0.75);
        double[] w = r.whiskers();
        String colour = Series.colour(runtime);
        svg.append("<g class=\"box\" data-function=\"")
                .append(Html.esc(function))
                .append("\" data-runtime=\"")
                .append(Html.esc(runtime))
                .append("\" data-median=\"")
                .append(Html.data(median))
                .append("\" data-n=\"")
                .append(r.count())
                .append("\"><title>")
                .append(Html.esc(String.format(
                        Locale.ROOT,
                        "%s %s: median %s s, IQR %s to %s s, whiskers %s to %s s, n = %d%s",
                        function,
                        runtime,
                        Html.sec(median),
                        Html.sec(q1),
                        Html.sec(q3),
                        Html.sec(w[0]),
                        Html.sec(w[1]),
                        r.count(),
                        r.exact() ? "" : " (quartiles from a uniform sample)")))
                .append("</title>")
                .append("<path class=\"whisker\" stroke=\"")
                .append(colour)
                .append("\" d=\"M")
                .append(Html.px(cx))
                .append(' ')
                .append(Html.px(frame.y(w[0])))
                .append("V")
                .append(Html.px(frame.y(q1)))
                .append("M")
                .append(Html.px(cx))
                .append(' ')
                .append(Html.px(frame.y(q3)))
                .append("V")
                .append(Html.px(frame.y(w[1])))
                .append("M")
                .append(Html.px(cx - 4))
                .append(' ')
                .append(Html.px(frame.y(w[0])))
                .append("h8M")
                .append(Html.px(cx - 4))
                .append(' ')
                .append(Html.px(frame.y(w[1])))
                .append("h8\"/>")
                .append("<rect x=\"")
                .append(Html.px(cx - half))
                .append("\" y=\"")
                .append(Html.px(frame.y(q3)))
                .append("\" width=\"")
                .append(Html.px(2 * half))
                .append("\" height=\"")
                .append(Html.px(Math.max(1, frame.y(q1) - frame.y(q3))))
                .append("\" fill=\"")
                .append(colour)
                .append("\" fill-opacity=\"0.35\" stroke=\"")
                .append(colour)
                .append("\"/>")
                .append("<line class=\"median\" x1=\"")
                .append(Html.px(cx - half))
                .append("\" x2=\"")
                .append(Html.px(cx + half))
                .append("\" y1=\"")
                .append(Html.px(frame.y(median)))
                .append("\" y2=\"")
                .append(Html.px(frame.y(median)))
                .append("\" stroke=\"")
                .append(colour)
                .append("\"/></g>\n");
    }
}
