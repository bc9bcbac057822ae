package dev.seer.serving.log;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Predictions for tests, varied by a number so each field is checked. */
final class Predictions {
    static final Instant T0 = Instant.parse("2026-12-04T10:00:00.123456Z");

    private Predictions() {}

    static Prediction of(String id, int i) {
        return new Prediction(id, T0.plusSeconds(i), i % 3 == 0 ? "churn" : "fraud", i % 10 == 0 ? "challenger" : "champion",
                i % 2 == 0 ? "churn-xgb" : "churn-lr", 1 + i % 4, Map.of("customer_id", "c" + (i % 50), "region", "eu"),
                List.of(Prediction.Feature.present("age", 30 + i, T0.minusSeconds(3600)), Prediction.Feature.given("plan", i % 5),
                        Prediction.Feature.missing("tenure"),
                        new Prediction.Feature("spend", Double.NaN, Optional.of(T0.minusSeconds(86_400 * 40)), FeatureStatus.EXPIRED)),
                new double[] {i / 1000.0, 1 - i / 1000.0}, 100 + i, i % 7 == 0, i % 11 == 0 ? "store-down" : "");
    }
}
