package dev.seer.monitoring.drift;

import java.util.List;

/**
 * Dataset drift: the share of tested columns that drifted against the drift share (Evidently's
 * {@code get_dataset_drift}: drift when share &gt;= drift share, default 0.5). Columns with
 * {@link ColumnDrift.Status#NO_DATA} are listed but neither tested nor counted.
 *
 * @param columns every column's result, in the order given
 * @param testedColumns columns that could be tested
 * @param driftedColumns tested columns that drifted
 * @param share drifted / tested (0 when none could be tested)
 * @param driftShare the share at or above which the dataset drifted
 * @param drifted the decision; false when no column could be tested
 * @param falseDiscoveryControl whether p-values were adjusted by Benjamini–Hochberg
 */
public record DatasetDrift(
        List<ColumnDrift> columns,
        int testedColumns,
        int driftedColumns,
        double share,
        double driftShare,
        boolean drifted,
        boolean falseDiscoveryControl) {

    public DatasetDrift {
        columns = List.copyOf(columns);
    }
}
