package dev.seer.monitoring.watch;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.monitoring.MonitoringErrorCode;
import dev.seer.monitoring.drift.DriftTest;
import dev.seer.monitoring.drift.DriftTests;
import dev.seer.monitoring.performance.Cbpe;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * How a {@link Monitor} computes its figures.
 *
 * @param driftShare share of tested features at or above which the dataset drifted (Evidently: 0.5)
 * @param overrides per-feature (or {@value WatchedColumns#OUTPUT}) drift test and optional threshold,
 *     replacing Evidently's choice by type and size
 * @param falseDiscoveryControl Benjamini–Hochberg over the features' p-values of one window (on by default)
 * @param cbpe CBPE's fit options (NannyML's defaults)
 * @param minimumRows fewer rows than this in a window (or labels, for realised performance and
 *     concept drift) give NO_DATA figures rather than numbers too noisy to alert on
 */
public record MonitorSettings(double driftShare, Map<String, ColumnTest> overrides, boolean falseDiscoveryControl,
        Cbpe.Options cbpe, int minimumRows) {
    /** Rows below which a window's figures are NO_DATA. */
    public static final int DEFAULT_MINIMUM_ROWS = 30;

    /** One column's test, and its threshold (empty: the test's default). */
    public record ColumnTest(DriftTest test, OptionalDouble threshold) {
        public ColumnTest {
            requireNonNull(test, "test is null");
            requireNonNull(threshold, "threshold is null");
        }
    }

    public MonitorSettings {
        overrides = Map.copyOf(requireNonNull(overrides, "overrides is null"));
        requireNonNull(cbpe, "cbpe is null");
        if (!(driftShare > 0 && driftShare <= 1)) {
            throw invalid("drift_share", "Drift share must be in (0, 1], not [" + driftShare + "]");
        }
        if (minimumRows < 1) {
            throw invalid("minimum_rows", "Minimum rows must be at least 1, not [" + minimumRows + "]");
        }
        // checked here so that a bad threshold is refused when the settings are read, not when a window closes
        DriftTests.Builder check = DriftTests.builder();
        overrides.forEach((column, o) -> o.threshold().ifPresent(t -> check.threshold(column, t)));
    }

    /** Evidently's drift defaults with Benjamini–Hochberg on, NannyML's CBPE defaults, 30 rows. */
    public static MonitorSettings defaults() {
        return new MonitorSettings(DriftTests.DEFAULT_DRIFT_SHARE, Map.of(), true, Cbpe.Options.defaults(),
                DEFAULT_MINIMUM_ROWS);
    }

    /** These settings with one column's test (and threshold) overridden. */
    public MonitorSettings withOverride(String column, DriftTest test, OptionalDouble threshold) {
        Map<String, ColumnTest> changed = new HashMap<>(overrides);
        changed.put(requireNonNull(column, "column is null"), new ColumnTest(test, threshold));
        return new MonitorSettings(driftShare, changed, falseDiscoveryControl, cbpe, minimumRows);
    }

    /** The drift tests these settings describe. */
    DriftTests driftTests() {
        DriftTests.Builder builder = DriftTests.builder().driftShare(driftShare).falseDiscoveryControl(falseDiscoveryControl);
        overrides.forEach((column, o) -> {
            builder.test(column, o.test());
            o.threshold().ifPresent(t -> builder.threshold(column, t));
        });
        return builder.build();
    }

    private static SeerException invalid(String field, String message) {
        return new SeerException(MonitoringErrorCode.INVALID_ARGUMENT, message, Map.of("field", field));
    }
}
