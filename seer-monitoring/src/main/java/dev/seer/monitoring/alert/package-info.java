/**
 * Alerts on monitored figures: rules ({@link dev.seer.monitoring.alert.AlertRule}), their
 * evaluation window by window ({@link dev.seer.monitoring.alert.AlertEvaluator}) and delivery of
 * state changes to webhooks on an allow-list ({@link dev.seer.monitoring.alert.Webhooks}). No
 * storage here: the server persists rule states (their byte form) and wires the log and audit.
 */
package dev.seer.monitoring.alert;
