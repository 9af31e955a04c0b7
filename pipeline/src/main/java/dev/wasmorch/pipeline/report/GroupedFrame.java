package dev.wasmorch.pipeline.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The frame of a chart with one group per function and one slot per runtime in each group: size,
 * y axis with grid, rotated function labels and the legend. Bar charts and box plots draw their
 * marks into the slots.
 */
final class GroupedFrame {

    static final double SLOT = 20;
    private static final double GROUP_GAP = 22;
    private static final double LEFT = 62;
    private static final double RIGHT = 16;
    private static final double TOP = 30;
    private static final double BOTTOM = 96;
    private static final double PLOT_HEIGHT = 240;

    private final List<String> groups;
    private final List<String> runtimes;
    private final Axis axis;

    /** Draws one function's mark for one runtime. */
    interface Mark<T> {
        void draw(StringBuilder svg, GroupedFrame frame, int group, int slot, String function, String runtime, T value);
    }

    /**
     * A whole chart: one group per function (sorted), one slot per runtime in {@link Series} order;
     * {@code null} when there is nothing to draw.
     */
    static <T> String render(
            Map<String, Map<String, T>> byFunction,
            double dataMax,
            String cssClass,
            String ariaLabel,
            String yTitle,
            Mark<T> mark) {
        if (byFunction.isEmpty()) {
            return null;
        }
        List<String> functions = new ArrayList<>(new TreeSet<>(byFunction.keySet()));
        Set<String> runtimes = new TreeSet<>();
        byFunction.values().forEach(m -> runtimes.addAll(m.keySet()));
        List<String> order = Series.order(runtimes);
        GroupedFrame frame = new GroupedFrame(functions, order, dataMax * 1.05);
        StringBuilder svg = new StringBuilder();
        frame.open(svg, cssClass, ariaLabel, yTitle);
        for (int g = 0; g < functions.size(); g++) {
            for (int k = 0; k < order.size(); k++) {
                T value = byFunction.get(functions.get(g)).get(order.get(k));
                if (value != null) {
                    mark.draw(svg, frame, g, k, functions.get(g), order.get(k), value);
                }
            }
        }
        return svg.append("</svg>").toString();
    }

    GroupedFrame(List<String> groups, List<String> runtimes, double dataMax) {
        this.groups = groups;
        this.runtimes = runtimes;
        this.axis = Axis.upTo(dataMax);
    }

    double width() {
        return Math.max(420, LEFT + RIGHT + groups.size() * (runtimes.size() * SLOT + GROUP_GAP));
    }

    double height() {
        return TOP + PLOT_HEIGHT + BOTTOM;
    }

    /** The x of the centre of a runtime's slot in a group. */
    double x(int group, int runtime) {
        return LEFT + GROUP_GAP / 2 + group * (runtimes.size() * SLOT + GROUP_GAP) + (runtime + 0.5) * SLOT;
    }

    double y(double v) {
        double clamped = Math.max(0, Math.min(v, axis.max()));
        return TOP + PLOT_HEIGHT * (1 - clamped / axis.max());
    }

    double baseline() {
        return TOP + PLOT_HEIGHT;
    }

    /** Opens the SVG and draws grid, axes, labels and legend. */
    void open(StringBuilder svg, String cssClass, String ariaLabel, String yTitle) {
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart ")
                .append(cssClass)
                .append("\" width=\"")
                .append(Html.px(width()))
                .append("\" height=\"")
                .append(Html.px(height()))
                .append("\" viewBox=\"0 0 ")
                .append(Html.px(width()))
                .append(' ')
                .append(Html.px(height()))
                .append("\" role=\"img\" aria-label=\"")
                .append(Html.esc(ariaLabel))
                .append("\">\n");
        for (int i = 0; i <= axis.ticks(); i++) {
            double y = y(i * axis.step());
            svg.append("<line class=\"grid\" x1=\"")
                    .append(Html.px(LEFT))
                    .append("\" x2=\"")
                    .append(Html.px(width() - RIGHT))
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
                    .append(axis.label(i))
                    .append("</text>\n");
        }
        svg.append("<text class=\"axis-title\" transform=\"rotate(-90)\" x=\"")
                .append(Html.px(-(TOP + PLOT_HEIGHT / 2)))
                .append("\" y=\"14\" text-anchor=\"middle\">")
                .append(Html.esc(yTitle))
                .append("</text>\n");
        for (int g = 0; g < groups.size(); g++) {
            double cx = (x(g, 0) + x(g, runtimes.size() - 1)) / 2;
            double ty = baseline() + 14;
            svg.append("<text class=\"group-label\" x=\"")
                    .append(Html.px(cx))
                    .append("\" y=\"")
                    .append(Html.px(ty))
                    .append("\" text-anchor=\"end\" transform=\"rotate(-35 ")
                    .append(Html.px(cx))
                    .append(' ')
                    .append(Html.px(ty))
                    .append(")\">")
                    .append(Html.esc(groups.get(g)))
                    .append("</text>\n");
        }
        legend(svg, runtimes, LEFT, 16);
    }

    /** A one-line legend of coloured squares. */
    static void legend(StringBuilder svg, List<String> runtimes, double x, double y) {
        double at = x;
        for (String r : runtimes) {
            svg.append("<rect class=\"legend\" x=\"")
                    .append(Html.px(at))
                    .append("\" y=\"")
                    .append(Html.px(y - 10))
                    .append("\" width=\"12\" height=\"12\" fill=\"")
                    .append(Series.colour(r))
                    .append("\"/>")
                    .append("<text x=\"")
                    .append(Html.px(at + 16))
                    .append("\" y=\"")
                    .append(Html.px(y))
                    .append("\">")
                    .append(Html.esc(r))
                    .append("</text>");
            at += 28 + 7 * r.length();
        }
        svg.append('\n');
    }
}
