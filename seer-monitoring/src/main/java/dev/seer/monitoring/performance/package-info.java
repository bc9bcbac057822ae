/**
 * Performance of binary classifiers per chunk of predictions: {@link dev.seer.monitoring.performance.Cbpe}
 * estimates it before labels arrive (NannyML's confidence-based performance estimation), and
 * {@link dev.seer.monitoring.performance.Realised} measures it with confidence intervals once they
 * do, so the two can be shown side by side.
 */
package dev.seer.monitoring.performance;
