package dev.wasmorch.pipeline.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Empirical CDF of one metric per runtime, pooled over functions: the share of pods instantiated
 * within x seconds. Each curve is drawn through {@value #POINTS} quantiles; the x axis ends at the
 * largest 99.5th percentile so one straggler does not squash the curves (the title says so).
 */
final class CdfChart {

    static final int POINTS = 200;
    private static final double WIDTH = 680;
    private static final double HEIGHT = 320;
    private static final double LEFT = 56;
    private static final double RIGHT = 20;
    private static final double TOP = 30;
    private static final double BOTTOM = 46;

    private CdfChart() {}

    /** Renders per-runtime reservoirs; {@code null} when there are none. */
    static String render(String scenario, String metric, Map<String, Reservoir> byRuntime) {
        if (byRuntime.isEmpty()) {
            return null;
        }
        List<String> order = Series.order(byRuntime.keySet());
        double xEnd = 0;
        for (Reservoir r : byRuntime.values()) {
            xEnd = Math.max(xEnd, r.quantile(0.995));
        }
        Axis axis = Axis.upTo(xEnd);
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart cdf\" width=\"")
                .append(Html.px(WIDTH))
                .append("\" height=\"")
                .append(Html.px(HEIGHT))
                .append("\" viewBox=\"0 0 ")
                .append(Html.px(WIDTH))
                .append(' ')
                .append(Html.px(HEIGHT))
                .append("\" role=\"img\" aria-label=\"")
                .append(Html.esc("CDF of " + metric + ", " + scenario))
                .append("\">\n");
        for (int i = 0; i <= 4; i++) {
            double y = TOP + plotH * (1 - i / 4.0);
            svg.append("<line class=\"grid\" x1=\"")
                    .append(Html.px(LEFT))
                    .append("\" x2=\"")
                    .append(Html.px(WIDTH - RIGHT))
                    .append("\" y1=\"")
                    .append(Html.px(y))
                    .append("\" y2=\"")
                    .append(Html.px(y))
                    .append("\"/>")
                    .append("<text class=\"tick\" x=\"")
                    .append(Html.px(LEFT - 6))
                    .append("\" y=\"")
                    .append(Html.px(y + 4))
                    .append("\" text-anchor=\"end\">")
                    .append(i * 25)
                    .append("%</text>\n");
        }
        for (int i = 0; i <= axis.ticks(); i++) {
            double x = LEFT + plotW * i * axis.step() / axis.max();
            svg.append("<line class=\"grid\" x1=\"")
                    .append(Html.px(x))
                    .append("\" x2=\"")
                    .append(Html.px(x))
                    .append("\" y1=\"")
                    .append(Html.px(TOP))
                    .append("\" y2=\"")
                    .append(Html.px(TOP + plotH))
                    .append("\"/>")
                    .append("<text class=\"tick\" x=\"")
                    .append(Html.px(x))
                    .append("\" y=\"")
                    .append(Html.px(TOP + plotH + 16))
                    .append("\" text-anchor=\"middle\">")
                    .append(axis.label(i))
                    .append("</text>\n");
        }
        svg.append("<text class=\"axis-title\" x=\"")
                .append(Html.px(LEFT + plotW / 2))
                .append("\" y=\"")
                .append(Html.px(HEIGHT - 6))
                .append("\" text-anchor=\"middle\">")
                .append(Html.esc(metric))
                .append(" (s), axis ends at the 99.5th percentile</text>\n");
        List<String> legend = new ArrayList<>();
        for (String runtime : order) {
            Reservoir r = byRuntime.get(runtime);
            svg.append("<polyline class=\"cdf-line\" data-runtime=\"")
                    .append(Html.esc(runtime))
                    .append("\" data-n=\"")
                    .append(r.count())
                    .append("\" data-median=\"")
                    .append(Html.data(r.quantile(0.5)))
                    .append("\" fill=\"none\" stroke-width=\"2\" stroke=\"")
                    .append(Series.colour(runtime))
                    .append("\" points=\"");
            for (int i = 0; i <= POINTS; i++) {
                double p = (double) i / POINTS;
                double x = LEFT + plotW * Math.min(1, r.quantile(p) / axis.max());
                svg.append(Html.px(x))
                        .append(',')
                        .append(Html.px(TOP + plotH * (1 - p)))
                        .append(' ');
            }
            svg.append("\"><title>")
                    .append(Html.esc(String.format(
                            Locale.ROOT,
                            "%s: median %s s, p90 %s s, n = %d",
                            runtime,
                            Html.sec(r.quantile(0.5)),
                            Html.sec(r.quantile(0.9)),
                            r.count())))
                    .append("</title></polyline>\n");
            legend.add(runtime);
        }
        GroupedFrame.legend(svg, legend, LEFT, 16);
        return svg.append("</svg>").toString();
    }
}
