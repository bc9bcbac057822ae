package dev.seer.monitoring.watch;

import dev.seer.monitoring.alert.AlertEvaluator;

/**
 * Where an alert's change of phase goes: the server log, the audit trail and the allow-listed
 * webhooks (the wiring implements it). Called after the new state is stored, so a change is never
 * announced that a restart would forget; a delivery that fails is the implementation's to report,
 * never the monitor's to retry.
 */
public interface AlertDelivery {
    void deliver(AlertEvaluator.Transition transition);
}
