/**
 * Multivariate drift: {@link dev.seer.monitoring.multivariate.ReconstructionDrift}, NannyML's data
 * reconstruction drift (PCA fitted on the reference; a chunk drifts when its rows are
 * reconstructed worse than the reference's). It sees changes in how features move together that
 * per-feature tests cannot see. Sources of the defaults: docs/design/monitoring-research.md §4.
 */
package dev.seer.monitoring.multivariate;
