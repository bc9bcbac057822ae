package dev.seer.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import dev.seer.core.schema.ColumnType;
import dev.seer.training.Task;
import dev.seer.training.TestData;
import dev.seer.training.TrainingErrorCode;
import dev.seer.duckdb.DuckEngine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsSplitsTakingNumericColumnsAsFeaturesAndLeavingOutTheKeyAndText() {
        DatasetSource.Snapshot snapshot = TestData.binary(dir, "d:1", 100, 3, 1.0, 1);
        TrainingData data = FrameReader.read(snapshot, Optional.empty(), Task.BINARY, List.of());
        assertThat(data.label()).isEqualTo("churned");
        assertThat(data.train().features()).containsExactly("x1", "x2", "x3");
        assertThat(data.leftOut()).containsExactly("id (key)", "colour (VARCHAR, not a number)");
        assertThat(data.train().rows() + data.validation().rows() + data.test().rows()).isEqualTo(100);
        assertThat(data.train().rows()).isEqualTo(60);
        assertThat(data.development().rows()).isEqualTo(80);
        assertThat(data.train().classes()).containsExactly("0", "1");
        assertThat(data.train().x()[0][0]).isNaN(); // row 0 has a NULL x1: read as missing
        assertThat(data.train().inputs().column("x1").type()).isEqualTo(ColumnType.FLOAT64);
    }

    @Test
    void textLabelsBecomeClassesInOrder() {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            rows.add("(" + i + ", '" + List.of("gold", "basic", "pro").get(i % 3) + "', " + i + ")");
        }
        DatasetSource.Snapshot s = TestData.write(dir, "p:1", "id, plan, x", rows, "plan", List.of("id"));
        TrainingData data = FrameReader.read(s, Optional.empty(), Task.MULTICLASS, List.of());
        assertThat(data.train().classes()).containsExactly("basic", "gold", "pro");
        assertThat(data.train().y()[0]).isEqualTo(1.0); // row 0 is gold
        assertThatThrownBy(() -> FrameReader.read(s, Optional.empty(), Task.BINARY, List.of()))
                .hasMessageContaining("has 3 values; task [binary] needs exactly 2");
        assertThatThrownBy(() -> FrameReader.read(s, Optional.empty(), Task.REGRESSION, List.of()))
                .hasMessageContaining("task [regression] needs a number");
    }

    @Test
    void badDataIsRefusedBeforeTrainingNamingWhatIsWrong() throws Exception {
        DatasetSource.Snapshot good = TestData.binary(dir, "d:1", 50, 2, 1.0, 1);
        refused(() -> FrameReader.read(good, Optional.of("left"), Task.BINARY, List.of()), "has no column [left]");
        refused(() -> FrameReader.read(good, Optional.empty(), Task.BINARY, List.of("colour")),
                "Feature [colour] cannot be an input: its type [VARCHAR] is not a number");
        refused(() -> FrameReader.read(good, Optional.empty(), Task.BINARY, List.of("churned")), "it is the label");
        refused(() -> FrameReader.read(new DatasetSource.Snapshot("d:1", "h", Optional.empty(), List.of(),
                good.columns(), good.splits()), Optional.empty(), Task.BINARY, List.of()), "recorded no label");
        refused(() -> FrameReader.read(new DatasetSource.Snapshot("d:1", "h", Optional.of("churned"), List.of(),
                good.columns(), Map.of()), Optional.empty(), Task.BINARY, List.of()), "has no [train] split");
        List<String> constant = new ArrayList<>();
        List<String> nullLabel = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            constant.add("(" + i + ", 1, " + i + ".5)");
            nullLabel.add("(" + i + ", " + (i == 13 ? "NULL" : Integer.toString(i % 2)) + ", " + i + ".5)");
        }
        refused(() -> FrameReader.read(TestData.write(dir, "c:1", "id, y, x", constant, "y", List.of("id")),
                Optional.empty(), Task.BINARY, List.of()), "Label [y] of dataset c:1 is constant");
        refused(() -> FrameReader.read(TestData.write(dir, "n:1", "id, y, x", nullLabel, "y", List.of("id")),
                Optional.empty(), Task.BINARY, List.of()), "Row 1 of split [validation] of dataset n:1 has no label");
        Path empty = dir.resolve("empty.parquet");
        try (Connection duck = DuckEngine.open(); Statement s = duck.createStatement()) {
            s.execute("COPY (SELECT * FROM read_parquet('" + good.splits().get("train") + "') LIMIT 0) TO '" + empty + "'");
        }
        Map<String, Path> splits = new HashMap<>(good.splits());
        splits.put("test", empty);
        refused(() -> FrameReader.read(new DatasetSource.Snapshot("t:1", "h", good.label(), good.key(), good.columns(),
                splits), Optional.empty(), Task.BINARY, List.of()), "Split [test] of dataset t:1 has no rows");
    }

    private static void refused(Runnable read, String message) {
        assertThatThrownBy(read::run).isInstanceOf(SeerException.class).hasMessageContaining(message)
                .extracting(e -> ((SeerException) e).errorCode()).isEqualTo(TrainingErrorCode.INVALID_DATA);
    }
}
