/**
 * Prometheus metrics of backup health, written by the official Prometheus Java client
 * ({@code prometheus-metrics-core} for the metric model, {@code prometheus-metrics-exposition-textformats}
 * for the text format): as a node_exporter textfile after a CLI run ({@code --metrics-file}) and from
 * the HTTP MCP server's {@code /metrics}. The values are a rendering of {@code health}'s report, so
 * both ways and {@code lifeboat status} always agree.
 */
package dev.lifeboat.core.metrics;
