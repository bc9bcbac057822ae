package dev.seer.serving.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seer.core.Json;
import dev.seer.core.Times;
import dev.seer.duckdb.DuckEngine;
import dev.seer.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictionExportTest {
    @TempDir
    Path dir;

    private List<Prediction> fill(PredictionLog log) {
        List<Prediction> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            all.add(Predictions.of(log.nextId(), i));
        }
        log.append(all.subList(0, 20)).join();
        log.append(all.subList(20, 40)).join();
        return all;
    }

    @Test
    void parquetHoldsEveryMatchingPredictionAsDuckDbReadsIt() throws Exception {
        try (PredictionLog log = PredictionLog.open(dir.resolve("log"), LogOptions.DEFAULT, new CollectingAudit(),
                new MutableClock(Instant.parse("2026-12-04T10:00:00Z")))) {
            List<Prediction> all = fill(log);
            List<Prediction> churn = all.stream().filter(p -> p.deployment().equals("churn")).toList();
            Path out = dir.resolve("churn.parquet");
            assertThat(log.export(out, PredictionQuery.all().withDeployment("churn"))).isEqualTo(churn.size());
            try (Connection duck = DuckEngine.open(); Statement s = duck.createStatement();
                    ResultSet r = s.executeQuery("SELECT id, epoch_us(time), entity['customer_id'], features[1].value,"
                            + " epoch_us(features[1].event_time), features[3].value IS NULL, features[3].status, output[2], shadow, degraded,"
                            + " model_version, shadow_of FROM read_parquet(" + DuckEngine.literal(out.toString()) + ") ORDER BY id")) {
                for (Prediction p : churn) {
                    assertThat(r.next()).isTrue();
                    assertThat(r.getString(1)).isEqualTo(p.id());
                    assertThat(r.getLong(2)).isEqualTo(Times.toMicros(p.time()));
                    assertThat(r.getString(3)).isEqualTo(p.entity().get("customer_id"));
                    assertThat(r.getDouble(4)).isEqualTo(p.features().get(0).value());
                    assertThat(r.getLong(5)).isEqualTo(Times.toMicros(p.features().get(0).eventTime().orElseThrow()));
                    assertThat(r.getBoolean(6)).isTrue();
                    assertThat(r.getString(7)).isEqualTo("missing");
                    assertThat(r.getDouble(8)).isEqualTo(p.output()[1]);
                    assertThat(r.getBoolean(9)).isEqualTo(p.shadow());
                    assertThat(r.getString(10)).isEqualTo(p.degraded());
                    assertThat(r.getInt(11)).isEqualTo(p.modelVersion());
                    assertThat(r.getString(12)).isNull();
                }
                assertThat(r.next()).isFalse();
            }
            assertThat(Files.list(dir).map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("log", "churn.parquet");
        }
    }

    @Test
    void jsonLinesReadBackAsThePredictionsAndAnEmptyExportIsAnEmptyFile() throws Exception {
        try (PredictionLog log = PredictionLog.open(dir.resolve("log"), LogOptions.DEFAULT, new CollectingAudit(),
                new MutableClock(Instant.parse("2026-12-04T10:00:00Z")))) {
            List<Prediction> all = fill(log);
            Path out = dir.resolve("c7.jsonl");
            PredictionQuery q = PredictionQuery.all().withEntity(Map.of("customer_id", "c7"));
            assertThat(log.export(out, q)).isEqualTo(1);
            List<Prediction> back = Files.readAllLines(out).stream().map(line -> Prediction.fromJson(Json.parse(line))).toList();
            assertThat(back).containsExactly(all.get(7));
            Path none = dir.resolve("none.parquet");
            assertThat(log.export(none, PredictionQuery.all().withDeployment("nothing"))).isZero();
            try (Connection duck = DuckEngine.open(); Statement s = duck.createStatement();
                    ResultSet r = s.executeQuery("SELECT count(*) FROM read_parquet(" + DuckEngine.literal(none.toString()) + ")")) {
                r.next();
                assertThat(r.getLong(1)).isZero();
            }
        }
    }
}
