/**
 * Concept drift on the stream of a deployment's prediction errors: {@link
 * dev.seer.monitoring.concept.Ddm} (Gama et al. 2004) on 0/1 errors and {@link
 * dev.seer.monitoring.concept.Adwin} (Bifet and Gavaldà 2007) on real-valued losses, both with the
 * defaults and semantics of river (docs/design/monitoring-research.md §5). A detector's state is a
 * small versioned byte form, so the server can persist it per deployment and resume.
 */
package dev.seer.monitoring.concept;
