package dev.seer.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;

/**
 * The feature repository the serving harnesses read ({@code OnlineBench}, {@code PredictBench}):
 * entity {@code customer}, a file source {@code wide_source} ({@code repo/wide.csv}, one row per
 * customer at 2026-01-15), a view {@code wide} of {@code features} doubles {@code f0, f1, ...}
 * and a service {@code wide_all} of them all. Every value is drawn from one {@code Random(5)}, in
 * row order, so a harness's data is the same on every run.
 */
final class WideView {
    /** Called after each row's values are drawn, with the same random stream (a harness draws its labels here). */
    @FunctionalInterface
    interface AfterRow {
        void row(int key, double[] drawn, Random random) throws IOException;
    }

    private WideView() {}

    /**
     * Writes {@code repo/wide.csv} and {@code repo/repo.yaml} under {@code dir}.
     *
     * @param draw  a value as drawn
     * @param shown the value written to the file (rounded, say)
     * @param ttl   the view's TTL, if it has one
     */
    static void write(Path dir, int features, int keys, Optional<String> ttl, ToDoubleFunction<Random> draw,
            DoubleUnaryOperator shown, AfterRow after) throws IOException {
        StringBuilder header = new StringBuilder("customer_id,event_ts");
        StringBuilder declared = new StringBuilder();
        StringBuilder refs = new StringBuilder();
        for (int f = 0; f < features; f++) {
            header.append(",f").append(f);
            declared.append("      - {name: f").append(f).append(", type: double}\n");
            refs.append(f == 0 ? "" : ", ").append("wide:f").append(f);
        }
        Random random = new Random(5);
        double[] drawn = new double[features];
        try (var out = Files.newBufferedWriter(dir.resolve("repo/wide.csv"))) {
            out.write(header + "\n");
            for (int k = 0; k < keys; k++) {
                StringBuilder row = new StringBuilder().append(k).append(",2026-01-15T00:00:00Z");
                for (int f = 0; f < features; f++) {
                    drawn[f] = draw.applyAsDouble(random);
                    row.append(',').append(shown.applyAsDouble(drawn[f]));
                }
                out.write(row.append('\n').toString());
                after.row(k, drawn, random);
            }
        }
        Files.writeString(dir.resolve("repo/repo.yaml"), """
                entities:
                  - {name: customer, join_keys: [customer_id]}
                sources:
                  - {name: wide_source, path: wide.csv, timestamp_field: event_ts}
                feature_views:
                  - name: wide
                    entities: [customer]
                    source: wide_source
                %s    features:
                %sfeature_services:
                  - {name: wide_all, features: [%s]}
                """.formatted(ttl.map(t -> "    ttl: " + t + "\n").orElse(""), declared, refs));
    }
}
