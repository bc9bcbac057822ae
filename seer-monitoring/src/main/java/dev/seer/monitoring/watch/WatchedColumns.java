package dev.seer.monitoring.watch;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.monitoring.MonitoringErrorCode;
import dev.seer.monitoring.profile.Profile;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * The columns a deployment is watched on: its champion's inputs in the model's order (all
 * numeric, as every Seer model's inputs are) and one output column, {@value #OUTPUT}.
 */
public record WatchedColumns(List<String> features, OutputShape output) {
    /** The name of the output column in profiles, reservoirs and figures. */
    public static final String OUTPUT = "prediction";

    public WatchedColumns {
        features = List.copyOf(requireNonNull(features, "features is null"));
        requireNonNull(output, "output is null");
        if (features.isEmpty()) {
            throw new SeerException(MonitoringErrorCode.INVALID_ARGUMENT, "A watched deployment needs at least one feature",
                    Map.of("field", "features"));
        }
        if (new HashSet<>(features).size() != features.size() || features.contains(OUTPUT)) {
            throw new SeerException(MonitoringErrorCode.INVALID_ARGUMENT, "Watched features must be unique and not named ["
                    + OUTPUT + "]: " + features, Map.of("field", "features"));
        }
    }

    /** The profile schema: every feature numeric, then the output (categorical for {@link OutputShape#CLASS}). */
    public List<Profile.Column> schema() {
        List<Profile.Column> schema = new ArrayList<>(features.size() + 1);
        features.forEach(f -> schema.add(Profile.Column.numeric(f)));
        schema.add(output == OutputShape.CLASS ? Profile.Column.categorical(OUTPUT) : Profile.Column.numeric(OUTPUT));
        return schema;
    }

    /**
     * How a class index is counted in a profile's categorical output column ({@code "0"}, {@code "1"},
     * ...), the same for a reference and a window, so their categories compare; NaN (no class) is missing.
     */
    public static String classLabel(double index) {
        return Double.isNaN(index) ? null : Long.toString((long) index);
    }

    /** The width of a reservoir row: every feature, then the output value (the class index for CLASS). */
    public int width() {
        return features.size() + 1;
    }
}
