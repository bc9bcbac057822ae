package dev.seer.monitoring.report;

import dev.seer.monitoring.drift.ColumnDrift;
import dev.seer.monitoring.drift.DatasetDrift;
import dev.seer.monitoring.drift.DriftTests;
import dev.seer.monitoring.performance.Cbpe;
import dev.seer.monitoring.performance.Estimate;
import dev.seer.monitoring.performance.Realised;
import dev.seer.monitoring.profile.NumericColumn;
import dev.seer.monitoring.profile.Profile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Realistic reports built from real drift, profile and CBPE results on seeded data. */
final class Fixtures {
    static final Instant FROM = Instant.parse("2026-12-01T00:00:00Z");
    static final Instant TO = Instant.parse("2026-12-02T00:00:00Z");
    static final String HOSTILE_DEPLOYMENT = "<script>alert(1)</script>";
    static final List<String> NUMERIC = List.of("age", "<script>alert(1)</script>", "\"onmouseover=\"x", "&amp;",
            "</svg>", "température ☃ 𝔘", "https://evil.example/x.js", "' onload='x", "bell\u0007\u001b[31m");
    static final List<String> CATEGORICAL = List.of("country", "<img src=x onerror=alert(1)>");
    static final String[] COUNTRIES = {"FR", "DE", "<b>bold</b>", "\"q\"", "//cdn.example", "日本"};

    /** The computed results a report is built from. */
    record Parts(DatasetDrift drift, Profile reference, Profile current, ColumnDrift prediction,
            NumericColumn predictionReference, NumericColumn predictionCurrent, List<Estimate> estimates,
            List<Realised> realised) {
    }

    private Fixtures() {
    }

    static MonitorReport realistic(long seed, boolean reverseOrder) {
        return report(parts(seed), reverseOrder);
    }

    /**
     * Reference 1,000 rows (so p-value tests: KS, chi-square), current 600 rows, where "age" and the
     * script-named feature are shifted by one standard deviation and "country" is skewed; CBPE fit
     * on 2,000 calibrated scores, 4 windows of 200 rows, the third without data, the fourth without labels.
     */
    static Parts parts(long seed) {
        Random random = new Random(seed);
        List<Profile.Column> schema = new ArrayList<>();
        NUMERIC.forEach(n -> schema.add(Profile.Column.numeric(n)));
        CATEGORICAL.forEach(n -> schema.add(Profile.Column.categorical(n)));
        Profile reference = Profile.create(schema);
        Profile current = Profile.create(schema);
        DriftTests tests = DriftTests.defaults();
        List<ColumnDrift> columns = new ArrayList<>();
        for (int i = 0; i < NUMERIC.size(); i++) {
            String name = NUMERIC.get(i);
            double[] ref = normal(random, 1000, 0);
            double[] cur = normal(random, 600, i < 2 ? 1.0 : 0.0);
            if (i == 3) {
                cur[0] = Double.NaN;
            }
            reference.updateColumn(name, ref);
            current.updateColumn(name, cur);
            columns.add(tests.numeric(name, ref, cur));
        }
        for (String name : CATEGORICAL) {
            String[] ref = categories(random, 1000, 0.0);
            String[] cur = categories(random, 600, name.equals("country") ? 0.5 : 0.0);
            reference.updateColumn(name, ref);
            current.updateColumn(name, cur);
            columns.add(tests.categorical(name, ref, cur));
        }
        double[] refScores = new double[2000];
        int[] refLabels = new int[2000];
        scores(random, refScores, refLabels);
        Cbpe cbpe = Cbpe.fit(refScores, refLabels, Cbpe.Options.defaults());
        double[] predCur = new double[600];
        scores(random, predCur, new int[600]);
        List<Estimate> estimates = new ArrayList<>();
        List<Realised> realised = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int rows = w == 2 ? 0 : 200;
            double[] s = new double[rows];
            int[] y = new int[rows];
            scores(random, s, y);
            estimates.add(cbpe.estimate(s));
            realised.add(w == 3 ? null : Realised.of(s, y));
        }
        return new Parts(tests.dataset(columns), reference, current, tests.numeric("score", refScores, predCur),
                profile("score", refScores).numeric("score"), profile("score", predCur).numeric("score"),
                estimates, realised);
    }

    /** The report of the parts; reversed adds columns and windows in the opposite order. */
    static MonitorReport report(Parts parts, boolean reversed) {
        DatasetDrift drift = parts.drift();
        if (reversed) {
            List<ColumnDrift> columns = new ArrayList<>(drift.columns());
            Collections.reverse(columns);
            drift = new DatasetDrift(columns, drift.testedColumns(), drift.driftedColumns(), drift.share(),
                    drift.driftShare(), drift.drifted(), drift.falseDiscoveryControl());
        }
        MonitorReport.Builder b = MonitorReport.builder(HOSTILE_DEPLOYMENT, FROM, TO)
                .reference("dataset <churn> version 3 & \"training\" https://x.example")
                .generatedAt(Instant.parse("2026-12-02T00:05:00Z"))
                .drift(drift)
                .profiles(parts.reference(), parts.current())
                .prediction(parts.prediction(), MonitorReport.Distribution.numeric(parts.predictionReference(),
                        parts.predictionCurrent()));
        for (int k = 0; k < 4; k++) {
            int w = reversed ? 3 - k : k;
            Instant start = FROM.plusSeconds(w * 6 * 3600L);
            b.window(start, start.plusSeconds(6 * 3600L), parts.estimates().get(w), parts.realised().get(w));
        }
        return b.build();
    }

    static Profile profile(String name, double[] values) {
        Profile p = Profile.create(List.of(Profile.Column.numeric(name)));
        p.updateColumn(name, values);
        return p;
    }

    static double[] normal(Random random, int n, double shift) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = random.nextGaussian() + shift;
        }
        return out;
    }

    static String[] categories(Random random, int n, double skew) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = random.nextDouble() < skew ? COUNTRIES[0] : COUNTRIES[random.nextInt(COUNTRIES.length)];
        }
        return out;
    }

    /** Scores with labels drawn as Bernoulli(score): calibrated by construction. */
    static void scores(Random random, double[] scores, int[] labels) {
        for (int i = 0; i < scores.length; i++) {
            scores[i] = random.nextDouble();
            labels[i] = random.nextDouble() < scores[i] ? 1 : 0;
        }
    }
}
