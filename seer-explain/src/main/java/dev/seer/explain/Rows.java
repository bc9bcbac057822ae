package dev.seer.explain;

import dev.seer.core.SeerException;
import java.util.List;
import java.util.Map;

/** Checks of the rows explainers are given. */
final class Rows {
    private Rows() {}

    static void check(double[] row, List<String> features) {
        if (row.length != features.size()) {
            throw new SeerException(ExplainErrorCode.INVALID_ROW, "A row has [" + row.length + "] values; the model takes ["
                    + features.size() + "]: " + features, Map.of("width", row.length));
        }
    }
}
