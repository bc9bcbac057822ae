/**
 * The drift and performance report of one deployment over a time range: {@link
 * dev.seer.monitoring.report.MonitorReport} gathers the results of the drift, profile and
 * performance packages; {@link dev.seer.monitoring.report.ReportText} renders it for a terminal and
 * {@link dev.seer.monitoring.report.ReportHtml} as one self-contained HTML file with inline SVG charts.
 */
package dev.seer.monitoring.report;
