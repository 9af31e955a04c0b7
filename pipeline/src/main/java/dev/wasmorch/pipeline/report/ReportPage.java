package dev.wasmorch.pipeline.report;

import dev.wasmorch.pipeline.model.Comparison;
import dev.wasmorch.pipeline.model.Count;
import dev.wasmorch.pipeline.model.Metric;
import dev.wasmorch.pipeline.model.SummaryStats;
import dev.wasmorch.pipeline.results.ComparisonsFile;
import dev.wasmorch.pipeline.results.CsvInput;
import dev.wasmorch.pipeline.results.PodsFile;
import dev.wasmorch.pipeline.results.RejectsFile;
import dev.wasmorch.pipeline.results.SamplesFile;
import dev.wasmorch.pipeline.results.StatsFile;
import dev.wasmorch.pipeline.results.SummaryFile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Lays out the page: headline, charts per scenario and metric, then the tables. */
final class ReportPage {

    private static final List<String> SCENARIO_ORDER =
            List.of("instantiation", "serial", "first-invocation", "concurrent", "demo");
    /** The headline metric and the 2023 study's definition, used when the headline one is absent. */
    private static final List<String> INSTANTIATION =
            List.of(Metric.SCHEDULED_TO_STARTED.label(), Metric.CREATED_TO_STARTED.label());

    private static final String CSS = """
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1320px;color:#212529;padding:0 16px}
            h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 8px;border-bottom:1px solid #dee2e6;padding-bottom:4px}
            h3{font-size:16px;margin:18px 0 6px}nav a{margin-right:14px}.muted{color:#6c757d}
            .cards{display:flex;flex-wrap:wrap;gap:14px}.card{border:1px solid #dee2e6;border-radius:8px;padding:12px 16px;min-width:260px}
            .card .big{font-size:28px;font-weight:600}.wasm{color:#6741d9}.container{color:#1c7ed6}
            .charts{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}figure{margin:0}figcaption{color:#6c757d;font-size:12px}
            svg.chart{background:#fff;border:1px solid #f1f3f5}svg text{font-size:11px;fill:#495057}
            svg .axis-title{font-size:12px;fill:#212529}svg .grid{stroke:#e9ecef}svg .ci{stroke:#212529;stroke-width:1.3;fill:none}
            svg .whisker{fill:none;stroke-width:1.2}svg .median{stroke-width:2.2}
            table{border-collapse:collapse;margin:6px 0 14px;font-size:13px}th,td{border:1px solid #dee2e6;padding:3px 7px;text-align:left}
            th{background:#f8f9fa;cursor:pointer;white-space:nowrap}td.n{text-align:right;font-variant-numeric:tabular-nums}
            .note{background:#fff9db;border:1px solid #ffe066;padding:6px 10px;border-radius:6px;margin:6px 0}
            details>summary{cursor:pointer;font-weight:600;margin:10px 0}code{font-size:12px;word-break:break-all}
            """;

    /** Click a header to sort by that column (numbers numerically); no library, nothing fetched. */
    private static final String SORT_JS = """
            document.querySelectorAll('table.sortable th').forEach(function(th){th.addEventListener('click',function(){
            var t=th.closest('table'),b=t.tBodies[0],i=Array.prototype.indexOf.call(th.parentNode.children,th),d=th.dataset.d==='a'?-1:1;
            th.dataset.d=d===1?'a':'d';var rows=Array.prototype.slice.call(b.rows);rows.sort(function(x,y){
            var p=x.cells[i].textContent,q=y.cells[i].textContent,a=parseFloat(p),c=parseFloat(q);
            return d*((isNaN(a)||isNaN(c))?p.localeCompare(q):a-c);});rows.forEach(function(r){b.appendChild(r);});});});
            """;

    private final ReportInputs in;
    private final ReportOptions options;
    private final StringBuilder out = new StringBuilder(1 << 16);

    ReportPage(ReportInputs in, ReportOptions options) {
        this.in = in;
        this.options = options;
    }

    String render() {
        out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>")
                .append(Html.esc(options.title()))
                .append("</title><style>")
                .append(CSS)
                .append("</style></head><body>\n<h1>")
                .append(Html.esc(options.title()))
                .append("</h1>\n")
                .append("<nav><a href=\"#headline\">Headline</a><a href=\"#charts\">Charts</a>")
                .append("<a href=\"#comparisons\">Comparisons</a><a href=\"#stats\">Statistics</a>")
                .append(
                        "<a href=\"#pods\">Pods</a><a href=\"#rejects\">Rejects</a><a href=\"#ingest\">Ingest</a></nav>\n");
        List<String> scenarios = scenarios();
        headline(scenarios);
        charts(scenarios);
        comparisons();
        stats();
        pods();
        rejects();
        ingest();
        return out.append("<script>")
                .append(SORT_JS)
                .append("</script>\n</body></html>\n")
                .toString();
    }

    private List<String> scenarios() {
        Set<String> found = new TreeSet<>();
        in.stats().forEach(s -> found.add(s.scenario()));
        in.comparisons().forEach(c -> found.add(c.scenario()));
        in.samples().groups().keySet().forEach(k -> found.add(k.scenario()));
        List<String> ordered = new ArrayList<>();
        SCENARIO_ORDER.stream().filter(found::contains).forEach(ordered::add);
        found.stream().filter(s -> !ordered.contains(s)).forEach(ordered::add);
        return ordered;
    }

    private Set<String> metrics(String scenario) {
        Set<String> found = new TreeSet<>();
        in.stats().stream().filter(s -> s.scenario().equals(scenario)).forEach(s -> found.add(s.metric()));
        in.samples().groups().keySet().stream()
                .filter(k -> k.scenario().equals(scenario))
                .forEach(k -> found.add(k.metric()));
        Set<String> ordered = new LinkedHashSet<>();
        for (Metric m : Metric.values()) {
            if (found.contains(m.label())) {
                ordered.add(m.label());
            }
        }
        ordered.addAll(found);
        return ordered;
    }

    /** The scenario's instantiation metric: scheduled_to_started, else the study's created_to_started. */
    private String instantiationMetric(String scenario) {
        Set<String> metrics = metrics(scenario);
        return INSTANTIATION.stream().filter(metrics::contains).findFirst().orElse(null);
    }

    private void headline(List<String> scenarios) {
        out.append("<h2 id=\"headline\">Headline</h2>\n");
        boolean any = false;
        out.append("<div class=\"cards\">\n");
        for (String scenario : scenarios) {
            String metric = instantiationMetric(scenario);
            if (metric == null) {
                continue;
            }
            Map<String, double[]> pooled = pooledMeans(scenario, metric);
            double[] wasm = pooled.get("wasm");
            double[] container = pooled.get("container");
            if (wasm == null && container == null) {
                continue;
            }
            any = true;
            out.append("<div class=\"card headline\" data-scenario=\"")
                    .append(Html.esc(scenario))
                    .append("\">")
                    .append("<div class=\"muted\">")
                    .append(Html.esc(scenario))
                    .append(" · mean ")
                    .append(Html.esc(metric))
                    .append("</div>");
            out.append("<div><span class=\"big wasm\">")
                    .append(wasm == null ? "–" : Html.sec(wasm[0]) + " s")
                    .append("</span> WASM (n = ")
                    .append(wasm == null ? "0" : Html.count((long) wasm[1]))
                    .append(")</div>");
            out.append("<div><span class=\"big container\">")
                    .append(container == null ? "–" : Html.sec(container[0]) + " s")
                    .append("</span> container (n = ")
                    .append(container == null ? "0" : Html.count((long) container[1]))
                    .append(")</div>");
            if (wasm != null && container != null && wasm[0] > 0) {
                out.append("<div>WASM is <b class=\"speedup\">")
                        .append(Html.fixed(container[0] / wasm[0], 2))
                        .append("×</b> faster (container mean / WASM mean)</div>");
            }
            pValueLine(scenario, metric);
            out.append("</div>\n");
        }
        out.append("</div>\n");
        if (!any) {
            out.append("<p class=\"note\">No instantiation times (scheduled_to_started or created_to_started) in "
                    + StatsFile.NAME + " or " + SamplesFile.NAME + ".</p>\n");
        } else {
            out.append("<p class=\"muted\">Means pool all functions, each weighted by its sample size. ")
                    .append("p-values: two-sided Mann–Whitney U per function (" + ComparisonsFile.NAME + ").</p>\n");
        }
    }

    /** Mean per runtime over all functions, {mean, n}: from stats.csv, else exactly from samples.csv. */
    private Map<String, double[]> pooledMeans(String scenario, String metric) {
        Map<String, double[]> sums = new TreeMap<>();
        for (SummaryStats s : in.stats()) {
            if (s.scenario().equals(scenario) && s.metric().equals(metric) && Double.isFinite(s.mean()) && s.n() > 0) {
                double[] acc = sums.computeIfAbsent(s.runtime().label(), k -> new double[2]);
                acc[0] += s.mean() * s.n();
                acc[1] += s.n();
            }
        }
        if (sums.isEmpty()) {
            for (String runtime : List.of("wasm", "container")) {
                Reservoir r = in.samples().get(scenario, metric, SampleDigests.ALL_FUNCTIONS, runtime);
                if (r != null) {
                    sums.put(runtime, new double[] {r.mean() * r.count(), r.count()});
                }
            }
        }
        sums.values().forEach(acc -> acc[0] /= acc[1]);
        return sums;
    }

    private void pValueLine(String scenario, String metric) {
        List<Comparison> rows = in.comparisons().stream()
                .filter(c -> c.scenario().equals(scenario)
                        && c.metric().equals(metric)
                        && Double.isFinite(ComparisonsFile.log10P(c)))
                .toList();
        if (rows.isEmpty()) {
            out.append("<div class=\"muted\">no comparison (p-value) in " + ComparisonsFile.NAME + "</div>");
            return;
        }
        Comparison weakest = rows.stream()
                .max(Comparator.comparingDouble(ComparisonsFile::log10P))
                .orElseThrow();
        long significant = rows.stream()
                .filter(c -> ComparisonsFile.log10P(c) < Math.log10(0.05))
                .count();
        out.append("<div>p ≤ <b class=\"pvalue\">")
                .append(Html.pValue(weakest.pValue(), ComparisonsFile.log10P(weakest)))
                .append("</b> in every function (largest of ")
                .append(rows.size())
                .append("); ")
                .append(significant)
                .append(" of ")
                .append(rows.size())
                .append(" below 0.05</div>");
    }

    private void charts(List<String> scenarios) {
        out.append("<h2 id=\"charts\">Charts</h2>\n");
        if (scenarios.isEmpty()) {
            out.append("<p class=\"note\">Nothing to draw: " + StatsFile.NAME + " and " + SamplesFile.NAME
                    + " are missing or empty.</p>\n");
        }
        for (String scenario : scenarios) {
            out.append("<h3>Scenario ").append(Html.esc(scenario)).append("</h3>\n");
            String instantiation = instantiationMetric(scenario);
            if (instantiation != null) {
                Map<String, Reservoir> byRuntime = new TreeMap<>();
                in.samples().groups().forEach((k, r) -> {
                    if (k.scenario().equals(scenario)
                            && k.metric().equals(instantiation)
                            && k.function().equals(SampleDigests.ALL_FUNCTIONS)) {
                        byRuntime.put(k.runtime(), r);
                    }
                });
                String cdf = CdfChart.render(scenario, instantiation, byRuntime);
                if (cdf != null) {
                    out.append("<p><b>CDF of ")
                            .append(Html.esc(instantiation))
                            .append("</b>, all functions: share of pods started within x seconds</p>\n")
                            .append(cdf)
                            .append('\n');
                }
            }
            for (String metric : metrics(scenario)) {
                List<SummaryStats> rows = in.stats().stream()
                        .filter(s -> s.scenario().equals(scenario) && s.metric().equals(metric))
                        .toList();
                String bars = BarChart.render(scenario, metric, rows);
                String boxes = BoxPlot.render(scenario, metric, in.samples().groups());
                out.append("<details")
                        .append(metric.equals(instantiation) ? " open" : "")
                        .append("><summary>")
                        .append(Html.esc(metric))
                        .append("</summary><div class=\"charts\">\n");
                out.append("<figure>")
                        .append(bars != null ? bars : "<p class=\"muted\">no means in " + StatsFile.NAME + "</p>")
                        .append("<figcaption>Mean per function with 95% confidence interval</figcaption></figure>\n");
                out.append("<figure>")
                        .append(boxes != null ? boxes : "<p class=\"muted\">no values in " + SamplesFile.NAME + "</p>")
                        .append(
                                "<figcaption>Distribution: quartiles, median, whiskers to 1.5 IQR</figcaption></figure>\n");
                out.append("</div></details>\n");
            }
        }
    }

    private void comparisons() {
        out.append("<h2 id=\"comparisons\">Comparisons (WASM vs container)</h2>\n");
        if (in.comparisons().isEmpty()) {
            out.append("<p class=\"note\">" + ComparisonsFile.NAME + " is missing or empty.</p>\n");
            return;
        }
        tableHead(
                "comparisons",
                "scenario",
                "function",
                "metric",
                "n wasm",
                "n container",
                "mean wasm (s)",
                "mean container (s)",
                "speedup",
                "U",
                "z",
                "p",
                "log10 p",
                "effect size (r)");
        for (Comparison c : in.comparisons()) {
            row(
                    List.of(c.scenario(), c.function(), c.metric()),
                    Html.count(c.nWasm()),
                    Html.count(c.nContainer()),
                    Html.sec(c.meanWasm()),
                    Html.sec(c.meanContainer()),
                    Html.num(c.speedup()),
                    Html.num(c.u()),
                    Html.num(c.z()),
                    Html.pValue(c.pValue(), ComparisonsFile.log10P(c)),
                    Html.num(ComparisonsFile.log10P(c)),
                    Html.num(c.effectSize()));
        }
        out.append("</tbody></table>\n");
    }

    private void stats() {
        out.append("<h2 id=\"stats\">Descriptive statistics (seconds)</h2>\n");
        if (in.stats().isEmpty()) {
            out.append("<p class=\"note\">" + StatsFile.NAME + " is missing or empty.</p>\n");
            return;
        }
        tableHead(
                "stats",
                StatsFile.COLUMNS.stream()
                        .map(c -> c.replace("ci95_low", "95% CI low").replace("ci95_high", "95% CI high"))
                        .toArray(String[]::new));
        for (SummaryStats s : in.stats()) {
            row(
                    List.of(s.scenario(), s.function(), s.runtime().label(), s.metric()),
                    Html.count(s.n()),
                    Html.sec(s.mean()),
                    Html.sec(s.median()),
                    Html.sec(s.p90()),
                    Html.sec(s.p95()),
                    Html.sec(s.p99()),
                    Html.sec(s.min()),
                    Html.sec(s.max()),
                    Html.sec(s.sd()),
                    Html.num(s.cv()),
                    Html.sec(s.ci95Low()),
                    Html.sec(s.ci95High()));
        }
        out.append("</tbody></table>\n");
    }

    private void pods() {
        PodSummary p = in.pods();
        out.append("<h2 id=\"pods\">Pods</h2>\n");
        if (p.total() == 0) {
            out.append("<p class=\"note\">" + PodsFile.NAME
                    + " is missing or empty (an analysis of published samples has no pods).</p>\n");
            return;
        }
        out.append("<p><b class=\"pods-total\">")
                .append(Html.count(p.total()))
                .append("</b> pods, <b>")
                .append(Html.count(p.complete()))
                .append("</b> complete, <b class=\"pods-incomplete\">")
                .append(Html.count(p.total() - p.complete()))
                .append("</b> incomplete; ")
                .append(Html.count(p.duplicates()))
                .append(" duplicate events dropped.</p>\n");
        classification();
        countTable("pods-by-runtime", "runtime", p.byRuntime());
        countTable("pods-by-node", "node", p.byNode());
        if (!p.flags().isEmpty()) {
            tableHead("pod-flags", "flag", "pods");
            p.flags().forEach((flag, n) -> row(List.of(flag), Html.count(n)));
            out.append("</tbody></table>\n");
        }
        if (p.problemCount() > 0) {
            out.append("<h3>Incomplete or flagged pods</h3>\n");
            tableHead(
                    "pod-problems", "namespace", "pod", "node", "runtime", "function", "scenario", "complete", "flags");
            for (PodsFile.Entry pr : p.problems()) {
                row(List.of(
                        pr.namespace(),
                        pr.pod(),
                        pr.node(),
                        pr.runtime(),
                        pr.function(),
                        pr.scenario(),
                        pr.complete() ? "yes" : "no",
                        pr.flags()));
            }
            out.append("</tbody></table>\n");
            if (p.problemCount() > p.problems().size()) {
                out.append("<p class=\"muted\">… and ")
                        .append(Html.count(p.problemCount() - p.problems().size()))
                        .append(" more (all in " + PodsFile.NAME + ").</p>\n");
            }
        }
    }

    /** Which pods the --classify rules decided and how many nothing did: the statistics leave those out. */
    private void classification() {
        SummaryFile.Totals s = in.summary();
        if (!s.present()) {
            return;
        }
        out.append("<p><b class=\"pods-unclassified\">")
                .append(Html.count(s.get(Count.PODS_UNCLASSIFIED)))
                .append("</b> pods unclassified (runtime unknown, kept out of the statistics).</p>\n");
        Map<String, Long> byRule = s.classifiedBy();
        if (!byRule.isEmpty()) {
            tableHead("classified-by", "classified by rule", "pods");
            byRule.forEach((rule, n) -> row(List.of(rule), Html.count(n)));
            out.append("</tbody></table>\n");
        }
    }

    private void countTable(String id, String label, Map<String, long[]> counts) {
        tableHead(id, label, "pods", "complete", "incomplete");
        counts.forEach((k, c) -> row(List.of(k), Html.count(c[0]), Html.count(c[1]), Html.count(c[0] - c[1])));
        out.append("</tbody></table>\n");
    }

    private void rejects() {
        out.append("<h2 id=\"rejects\">Rejected lines</h2>\n");
        Map<String, Long> fromCsv = in.rejects().counts();
        Map<String, Long> fromSummary = in.summary().rejected();
        if (fromCsv.isEmpty() && fromSummary.isEmpty()) {
            out.append("<p>No rejected lines (or neither " + RejectsFile.NAME + " nor " + SummaryFile.NAME
                    + " is present).</p>\n");
            return;
        }
        Set<String> reasons = new TreeSet<>(fromCsv.keySet());
        reasons.addAll(fromSummary.keySet());
        tableHead(
                "rejects",
                "reason",
                "in " + RejectsFile.NAME,
                "in " + SummaryFile.NAME,
                "examples (file:line: detail)");
        for (String reason : reasons) {
            StringBuilder ex = new StringBuilder();
            for (RejectSummary.Example e : in.rejects().examples(reason)) {
                ex.append("<div><code>")
                        .append(Html.esc(e.file()))
                        .append(':')
                        .append(Html.esc(e.line()))
                        .append("</code> ")
                        .append(Html.esc(e.detail()))
                        .append("<br><code class=\"muted\">")
                        .append(Html.esc(e.excerpt()))
                        .append("</code></div>");
            }
            out.append("<tr><td>")
                    .append(Html.esc(reason))
                    .append("</td><td class=\"n\">")
                    .append(Html.count(fromCsv.getOrDefault(reason, 0L)))
                    .append("</td><td class=\"n\">")
                    .append(fromSummary.containsKey(reason) ? Html.count(fromSummary.get(reason)) : "")
                    .append("</td><td>")
                    .append(ex)
                    .append("</td></tr>\n");
        }
        out.append("</tbody></table>\n");
    }

    private void ingest() {
        out.append("<h2 id=\"ingest\">Ingest</h2>\n");
        SummaryFile.Totals s = in.summary();
        if (s.present()) {
            tableHead("ingest", "counter", "value");
            s.counters().forEach((k, v) -> row(List.of(k), Html.count(v)));
            out.append("</tbody></table>\n");
        } else {
            out.append("<p class=\"note\">" + SummaryFile.NAME + " ")
                    .append(s.problem() == null ? "is missing" : Html.esc(s.problem()))
                    .append(".</p>\n");
        }
        tableHead("inputs", "file", "present", "rows read", "rows skipped", "problem");
        for (CsvInput.Outcome o : in.files()) {
            row(
                    List.of(o.file(), o.present() ? "yes" : "no"),
                    Html.count(o.rows()),
                    Html.count(o.skipped()),
                    Html.esc(o.problem()));
        }
        out.append("</tbody></table>\n");
        if (in.samples().unusable() > 0) {
            out.append("<p class=\"note\">")
                    .append(Html.count(in.samples().unusable()))
                    .append(" rows of " + SamplesFile.NAME
                            + " had no numeric value and were left out of the charts.</p>\n");
        }
    }

    private void tableHead(String id, String... columns) {
        out.append("<table class=\"sortable\" id=\"t-").append(id).append("\"><thead><tr>");
        for (String c : columns) {
            out.append("<th>").append(Html.esc(c)).append("</th>");
        }
        out.append("</tr></thead><tbody>\n");
    }

    /** A row: text cells (escaped here) then numeric cells (already formatted, right-aligned). */
    private void row(List<String> texts, String... numbers) {
        out.append("<tr>");
        for (String t : texts) {
            out.append("<td>").append(Html.esc(t)).append("</td>");
        }
        for (String n : numbers) {
            out.append("<td class=\"n\">").append(n).append("</td>");
        }
        out.append("</tr>\n");
    }
}
