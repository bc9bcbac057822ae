package dev.seer.serving.log;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.Times;
import dev.seer.duckdb.DuckEngine;
import dev.seer.serving.ServingErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Exports logged predictions. JSON lines are {@link Prediction#toJson()} one per line. Parquet is
 * written by DuckDB from a JSON-lines file with times in epoch microseconds, so that no text
 * parsing of times is involved; its columns: {@code id, time TIMESTAMP (UTC), deployment, arm,
 * model, model_version, entity MAP(VARCHAR, VARCHAR), features STRUCT(name, value DOUBLE,
 * event_time TIMESTAMP, status)[], output DOUBLE[], latency_micros, shadow, degraded, shadow_of}; a value the
 * model did not see is NULL. Either file is written beside the target (its folder made if missing) and moved into
 * place.
 */
final class PredictionExport {
    private static final String COLUMNS = "{id: 'VARCHAR', time_us: 'BIGINT', deployment: 'VARCHAR', arm: 'VARCHAR',"
            + " model: 'VARCHAR', model_version: 'INTEGER', entity: 'MAP(VARCHAR, VARCHAR)',"
            + " features: 'STRUCT(name VARCHAR, value DOUBLE, event_time_us BIGINT, status VARCHAR)[]', output: 'DOUBLE[]',"
            + " latency_micros: 'BIGINT', shadow: 'BOOLEAN', degraded: 'VARCHAR', shadow_of: 'VARCHAR'}";

    private PredictionExport() {}

    static long write(PredictionLog log, Path file, ExportFormat format, PredictionQuery filter) {
        boolean parquet = format == ExportFormat.PARQUET;
        Path lines = file.resolveSibling(file.getFileName() + (parquet ? ".tmp.jsonl" : ".tmp"));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            long count = writeLines(log, lines, filter, parquet);
            if (parquet) {
                Path table = file.resolveSibling(file.getFileName() + ".tmp");
                toParquet(lines, table);
                Files.move(table, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.move(lines, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return count;
        } catch (IOException | UncheckedIOException e) {
            throw new SeerException(ServingErrorCode.LOG_FAILURE, "Exporting predictions to [" + file + "] failed: " + e.getMessage(),
                    Map.of("file", file.toString()), e);
        } finally {
            try {
                Files.deleteIfExists(lines);
                Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".tmp"));
            } catch (IOException ignored) {
                // a leftover temporary file beside the export
            }
        }
    }

    private static long writeLines(PredictionLog log, Path lines, PredictionQuery filter, boolean forParquet) throws IOException {
        AtomicLong count = new AtomicLong();
        try (Writer out = Files.newBufferedWriter(lines, StandardCharsets.UTF_8); SequenceWriter json = Json.lines(out)) {
            log.scan(filter, p -> {
                try {
                    json.write(forParquet ? flat(p) : p.toJson());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return count.incrementAndGet() < filter.limit();
            });
        }
        return count.get();
    }

    /** The JSON DuckDB reads: {@link Prediction#toJson()} with times as epoch microseconds. */
    private static ObjectNode flat(Prediction p) {
        ObjectNode node = p.toJson();
        node.remove("time");
        node.put("time_us", Times.toMicros(p.time()));
        ArrayNode features = (ArrayNode) node.get("features");
        for (int i = 0; i < features.size(); i++) {
            ObjectNode f = (ObjectNode) features.get(i);
            f.remove("event_time");
            p.features().get(i).eventTime().ifPresent(t -> f.put("event_time_us", Times.toMicros(t)));
        }
        return node;
    }

    private static void toParquet(Path lines, Path table) {
        String sql = "COPY (SELECT id, make_timestamp(time_us) AS time, deployment, arm, model, model_version, entity,"
                + " list_transform(features, f -> {'name': f.name, 'value': f.value, 'event_time': make_timestamp(f.event_time_us),"
                + " 'status': f.status}) AS features, output, latency_micros, shadow, degraded,"
                + " shadow_of FROM read_json(" + DuckEngine.literal(lines.toString()) + ", format = 'newline_delimited', columns = " + COLUMNS
                + ")) TO " + DuckEngine.literal(table.toString()) + " (FORMAT PARQUET)";
        try (Connection duck = DuckEngine.open(); Statement statement = duck.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw DuckEngine.failure("Writing predictions to Parquet", e);
        }
    }
}
