package dev.seer.core.features;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Online feature values for entities, as a model needs them at prediction time: the latest value
 * of each feature per entity, with whether it is present, missing or expired (older than its
 * view's time to live). The feature store implements it; the server's online route and, later,
 * the predict route call it.
 */
public interface FeatureLookup {
    /** The most entities one lookup may ask for. */
    int MAX_ENTITIES = 1000;

    /**
     * @param features {@code view:feature} references or one feature service name
     * @param entities join key name to values; every list has the same length, one entity per position
     * @return one result per entity, in the order asked, each with one value per feature, in the order asked
     */
    List<EntityValues> lookup(List<String> features, Map<String, List<String>> entities);

    /** Whether a feature had a value for an entity. */
    enum Status { PRESENT, MISSING, EXPIRED }

    /** One feature of one entity; {@code value} is JSON null unless present, {@code eventTime} empty unless present. */
    record Value(String feature, JsonNode value, Status status, Optional<Instant> eventTime) {
        public Value {
            requireNonNull(feature, "feature is null");
            requireNonNull(value, "value is null");
            requireNonNull(status, "status is null");
            requireNonNull(eventTime, "eventTime is null");
        }
    }

    /** The values of one entity, named by its join keys. */
    record EntityValues(Map<String, String> entity, List<Value> values) {}
}
