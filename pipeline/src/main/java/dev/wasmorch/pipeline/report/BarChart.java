package dev.wasmorch.pipeline.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Mean per function and runtime as grouped bars, with the 95% confidence interval as whiskers. */
final class BarChart {

    private BarChart() {}

    /** Renders the rows of one scenario and metric; {@code null} when no row has a mean. */
    static String render(String scenario, String metric, List<StatRow> rows) {
        Map<String, Map<String, StatRow>> byFunction = new TreeMap<>();
        Set<String> runtimes = new TreeSet<>();
        double top = 0;
        for (StatRow r : rows) {
            if (Double.isFinite(r.mean())) {
                byFunction.computeIfAbsent(r.function(), k -> new TreeMap<>()).put(r.runtime(), r);
                runtimes.add(r.runtime());
                top = Math.max(top, Math.max(r.mean(), Double.isFinite(r.ci95High()) ? r.ci95High() : 0));
            }
        }
        if (byFunction.isEmpty()) {
            return null;
        }
        List<String> functions = new ArrayList<>(byFunction.keySet());
        List<String> order = Series.order(runtimes);
        GroupedFrame frame = new GroupedFrame(functions, order, top * 1.05);
        StringBuilder svg = new StringBuilder();
        frame.open(svg, "bars", "Mean " + metric + " per function, " + scenario, metric + " mean (s)");
        for (int g = 0; g < functions.size(); g++) {
            for (int k = 0; k < order.size(); k++) {
                StatRow r = byFunction.get(functions.get(g)).get(order.get(k));
                if (r != null) {
                    bar(svg, frame, g, k, r);
                }
            }
        }
        return svg.append("</svg>").toString();
    }

    private static void bar(StringBuilder svg, GroupedFrame frame, int g, int k, StatRow r) {
        double cx = frame.x(g, k);
        double y = frame.y(r.mean());
        svg.append("<rect class=\"bar\" data-function=\"").append(Html.esc(r.function()))
                .append("\" data-runtime=\"").append(Html.esc(r.runtime()))
                .append("\" data-mean=\"").append(Html.data(r.mean()))
                .append("\" x=\"").append(Html.px(cx - GroupedFrame.SLOT / 2 + 1)).append("\" y=\"").append(Html.px(y))
                .append("\" width=\"").append(Html.px(GroupedFrame.SLOT - 2)).append("\" height=\"")
                .append(Html.px(frame.baseline() - y)).append("\" fill=\"").append(Series.colour(r.runtime()))
                .append("\"><title>").append(Html.esc(String.format(Locale.ROOT, "%s %s: mean %s s, 95%% CI %s to %s s, n = %d",
                        r.function(), r.runtime(), Html.sec(r.mean()), Html.sec(r.ci95Low()), Html.sec(r.ci95High()), r.n())))
                .append("</title></rect>\n");
        if (Double.isFinite(r.ci95Low()) && Double.isFinite(r.ci95High())) {
            double lo = frame.y(r.ci95Low());
            double hi = frame.y(r.ci95High());
            svg.append("<path class=\"ci\" data-low=\"").append(Html.data(r.ci95Low())).append("\" data-high=\"")
                    .append(Html.data(r.ci95High())).append("\" d=\"M").append(Html.px(cx)).append(' ').append(Html.px(lo))
                    .append("V").append(Html.px(hi)).append("M").append(Html.px(cx - 4)).append(' ').append(Html.px(lo))
                    .append("h8M").append(Html.px(cx - 4)).append(' ').append(Html.px(hi)).append("h8\"/>\n");
        }
    }
}
