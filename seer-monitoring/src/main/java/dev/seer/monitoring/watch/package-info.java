/**
 * Watching deployments: the production side of monitoring. Windows of a deployment's answered
 * predictions are profiled and sampled as the log grows ({@link dev.seer.monitoring.watch.ClosedWindow}),
 * compared with a {@link dev.seer.monitoring.watch.Reference} built from the champion's training
 * data into named figures, on which alert rules are evaluated; everything it keeps is in its own
 * tables of the metadata store through seer-core's {@code SqlDatabase}. It sees no log, registry
 * or feedback class: the server wiring turns predictions into {@link dev.seer.monitoring.watch.Observation}s
 * and outcomes into {@link dev.seer.monitoring.watch.Labelled} pairs.
 */
package dev.seer.monitoring.watch;
