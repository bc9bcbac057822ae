/**
 * Monitoring of deployed models (component 4 of DESIGN.md): what the production data and the
 * model's outputs look like against the training reference, and how well the model does, with
 * labels and before them. The statistics and detectors here are plain Java over samples and
 * sketches, with no store or server of their own; seer-server feeds them from the prediction log
 * and feedback and exposes them. Sources of every default are in docs/design/monitoring-research.md.
 */
package dev.seer.monitoring;
