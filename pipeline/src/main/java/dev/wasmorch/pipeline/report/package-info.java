/**
 * The self-contained HTML report: {@link dev.wasmorch.pipeline.report.ReportWriter} reads an analyzer output
 * directory (stats.csv, comparisons.csv, samples.csv, pods.csv, rejects.csv, summary.json; any may be missing)
 * and writes report.html with inline SVG charts. docs/demo-and-report.md describes the page.
 */
package dev.wasmorch.pipeline.report;
