package dev.wasmorch.pipeline.report;

import dev.wasmorch.pipeline.model.SummaryStats;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Mean per function and runtime as grouped bars, with the 95% confidence interval as whiskers. */
final class BarChart {

    private BarChart() {}

    /** Renders the rows of one scenario and metric; {@code null} when no row has a mean. */
    static String render(String scenario, String metric, List<SummaryStats> rows) {
        Map<String, Map<String, SummaryStats>> byFunction = new TreeMap<>();
        double top = 0;
        for (SummaryStats r : rows) {
            if (Double.isFinite(r.mean())) {
                byFunction
                        .computeIfAbsent(r.function(), k -> new TreeMap<>())
                        .put(r.runtime().label(), r);
                top = Math.max(top, Math.max(r.mean(), Double.isFinite(r.ci95High()) ? r.ci95High() : 0));
            }
        }
        return GroupedFrame.render(
                byFunction,
                top,
                "bars",
                "Mean " + metric + " per function, " + scenario,
                metric + " mean (s)",
                BarChart::bar);
    }

    private static void bar(
            StringBuilder svg, GroupedFrame frame, int g, int k, String function, String runtime, SummaryStats r) {
        double cx = frame.x(g, k);
        double y = frame.y(r.mean());
        svg.append("<rect class=\"bar\" data-function=\"")
                .append(Html.esc(function))
                .append("\" data-runtime=\"")
                .append(Html.esc(runtime))
                .append("\" data-mean=\"")
                .append(Html.data(r.mean()))
                .append("\" x=\"")
                .append(Html.px(cx - GroupedFrame.SLOT / 2 + 1))
                .append("\" y=\"")
                .append(Html.px(y))
                .append("\" width=\"")
                .append(Html.px(GroupedFrame.SLOT - 2))
                .append("\" height=\"")
                .append(Html.px(frame.baseline() - y))
                .append("\" fill=\"")
                .append(Series.colour(runtime))
                .append("\"><title>")
                .append(Html.esc(String.format(
                        Locale.ROOT,
                        "%s %s: mean %s s, 95%% CI %s to %s s, n = %d",
                        function,
                        runtime,
                        Html.sec(r.mean()),
                        Html.sec(r.ci95Low()),
                        Html.sec(r.ci95High()),
                        r.n())))
                .append("</title></rect>\n");
        if (Double.isFinite(r.ci95Low()) && Double.isFinite(r.ci95High())) {
            double lo = frame.y(r.ci95Low());
            double hi = frame.y(r.ci95High());
            svg.append("<path class=\"ci\" data-low=\"")
                    .append(Html.data(r.ci95Low()))
                    .append("\" data-high=\"")
                    .append(Html.data(r.ci95High()))
                    .append("\" d=\"M")
                    .append(Html.px(cx))
                    .append(' ')
                    .append(Html.px(lo))
                    .append("V")
                    .append(Html.px(hi))
                    .append("M")
                    .append(Html.px(cx - 4))
                    .append(' ')
                    .append(Html.px(lo))
                    .append("h8M")
                    .append(Html.px(cx - 4))
                    .append(' ')
                    .append(Html.px(hi))
                    .append("h8\"/>\n");
        }
    }
}
