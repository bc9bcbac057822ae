package dev.seer.registry.search;

/** Which runs a search sees by their lifecycle stage, MLflow's {@code run_view_type}. */
public enum ViewType {
    ACTIVE_ONLY, DELETED_ONLY, ALL
}
