package dev.seer.monitoring.watch;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.monitoring.MonitoringErrorCode;
import dev.seer.monitoring.alert.Figure;
import dev.seer.monitoring.concept.Adwin;
import dev.seer.monitoring.concept.Ddm;
import dev.seer.monitoring.concept.DriftDetector;
import dev.seer.monitoring.drift.ColumnDrift;
import dev.seer.monitoring.drift.DatasetDrift;
import dev.seer.monitoring.drift.DriftTest;
import dev.seer.monitoring.drift.DriftTests;
import dev.seer.monitoring.multivariate.Column;
import dev.seer.monitoring.multivariate.ReconstructionDrift;
import dev.seer.monitoring.performance.Cbpe;
import dev.seer.monitoring.performance.Estimate;
import dev.seer.monitoring.performance.Metric;
import dev.seer.monitoring.performance.Realised;
import dev.seer.monitoring.profile.Profile;
import dev.seer.monitoring.report.MonitorReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns one closed window of a deployment, compared with its {@link Reference}, into the named
 * figures alert rules are evaluated on ({@code deployment/kind/subject/statistic}):
 * <ul>
 *   <li>{@code drift/<feature>/<test>} (the test's score: the p-value, Benjamini–Hochberg adjusted
 *       over the window's features unless turned off, or the distance) and
 *       {@code drift/<feature>/drifted} (1/0), from the reservoirs with the test Evidently would
 *       choose unless {@link MonitorSettings} overrides it; {@code drift/dataset/share} and
 *       {@code drift/dataset/drifted}; {@code drift/prediction/<test>} and
 *       {@code drift/prediction/drifted} on the output column (tested alone, so uncorrected);</li>
 *   <li>{@code drift/multivariate/reconstruction_error} and {@code .../alert}: NannyML's PCA
 *       reconstruction error, fitted once per reference id on the reference reservoir;</li>
 *   <li>{@code performance/realised/<metric>} from the window's labelled predictions (SCORE: the six
 *       {@link Metric}s; VALUE: mae, rmse; CLASS: accuracy) and, for SCORE with a labelled
 *       reference, {@code performance/estimated/<metric>} by CBPE (fitted once per reference id)
 *       on the window's sampled scores;</li>
 *   <li>{@code concept/ddm/drift} and {@code concept/adwin/drift}: 1 when the detector flagged a
 *       change while fed this window's errors in prediction order (SCORE, CLASS: wrong = 1, both
 *       detectors; VALUE: ADWIN only, on the absolute error, since DDM models a 0/1 error rate);
 *       the detectors carry over from window to window through {@link DetectorStates};</li>
 *   <li>{@code volume/rows/count}.</li>
 * </ul>
 *
 * <p>A window and a reference that do not match (a feature missing from either side, another output
 * shape, a reference that cannot be fitted) never make {@link #figures} throw: what cannot be
 * computed is a NO_DATA figure, and the reason is one of {@link Monitored#problems()} for the
 * wiring to log. {@link #check} is the refusing form, for the places that should say no (creating a
 * rule, asking for a report). Too few rows ({@link MonitorSettings#minimumRows()}) are NO_DATA too.
 *
 * <p>One monitor serves every deployment; windows of one deployment must be given in order by one
 * thread at a time (the detectors are read, fed and written back).
 */
public final class Monitor {
    /** The figures of a window, and what could not be computed, for the log. */
    public record Monitored(List<Figure> figures, List<String> problems) {
        public Monitored {
            figures = List.copyOf(figures);
            problems = List.copyOf(problems);
        }
    }

    static final String DDM = "ddm";
    static final String ADWIN = "adwin";
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final int FITS_KEPT = 16;
    private static final Set<DriftTest> NUMERIC_DEFAULTS = EnumSet.of(DriftTest.KS, DriftTest.CHI_SQUARE, DriftTest.Z,
            DriftTest.WASSERSTEIN, DriftTest.JENSEN_SHANNON);
    private static final Set<DriftTest> CATEGORICAL_DEFAULTS = EnumSet.of(DriftTest.CHI_SQUARE, DriftTest.Z,
            DriftTest.JENSEN_SHANNON);

    private final MonitorSettings settings;
    private final DriftTests driftTests;
    private final DetectorStates detectors;
    /** Fits per reference id, the most recently used kept: a reference is fitted once, not per window. */
    private final Map<String, Fitted> fits = new LinkedHashMap<>(FITS_KEPT, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Fitted> eldest) {
            return size() > FITS_KEPT;
        }
    };

    public Monitor(MonitorSettings settings, DetectorStates detectors) {
        this.settings = requireNonNull(settings, "settings is null");
        this.detectors = requireNonNull(detectors, "detectors is null");
        this.driftTests = settings.driftTests();
    }

    /** The test id a figure name carries, e.g. {@code wasserstein_normed}. */
    public static String testId(DriftTest test) {
        return switch (test) {
            case KS -> "ks";
            case CHI_SQUARE -> "chi_square";
            case Z -> "z";
            case WASSERSTEIN -> "wasserstein_normed";
            case JENSEN_SHANNON -> "jensen_shannon";
            case PSI -> "psi";
        };
    }

    /** {@code deployment/kind/subject/statistic}. */
    public static String name(String deployment, String kind, String subject, String statistic) {
        return deployment + '/' + kind + '/' + subject + '/' + statistic;
    }

    // ---------------------------------------------------------------- refusing checks

    /**
     * Refuses (INCOMPATIBLE, naming the column) a reference that cannot be compared with windows of
     * {@code columns}: a feature on one side only, another output shape, reservoirs of the wrong width.
     */
    public static void check(Reference reference, WatchedColumns columns) {
        requireNonNull(reference, "reference is null");
        requireNonNull(columns, "columns is null");
        List<String> problems = compatibility(reference, columns);
        if (!problems.isEmpty()) {
            throw new SeerException(MonitoringErrorCode.INCOMPATIBLE, problems.get(0),
                    Map.of("column", firstColumn(reference, columns), "reference", reference.id()));
        }
    }

    private static String firstColumn(Reference reference, WatchedColumns columns) {
        for (String f : columns.features()) {
            if (!reference.columns().features().contains(f)) {
                return f;
            }
        }
        for (String f : reference.columns().features()) {
            if (!columns.features().contains(f)) {
                return f;
            }
        }
        return WatchedColumns.OUTPUT;
    }

    private static List<String> compatibility(Reference reference, WatchedColumns columns) {
        List<String> problems = new ArrayList<>();
        WatchedColumns ref = reference.columns();
        for (String f : columns.features()) {
            if (!ref.features().contains(f)) {
                problems.add("Feature [" + f + "] of the watched columns is missing from reference [" + reference.id() + "]");
            }
        }
        for (String f : ref.features()) {
            if (!columns.features().contains(f)) {
                problems.add("Feature [" + f + "] of reference [" + reference.id() + "] is missing from the watched columns");
            }
        }
        if (ref.output() != columns.output()) {
            problems.add("Column [" + WatchedColumns.OUTPUT + "] is " + columns.output() + " in the watched columns and "
                    + ref.output() + " in reference [" + reference.id() + "]");
        }
        if (reference.reservoir().width() != ref.width()) {
            problems.add("Reference [" + reference.id() + "] has reservoir rows of " + reference.reservoir().width()
                    + " values for " + ref.width() + " columns");
        }
        return problems;
    }

    // ---------------------------------------------------------------- known names

    /** Every figure name {@link #figures} can produce for a deployment watched on {@code columns}. */
    public Set<String> knownFigures(WatchedColumns columns, String deployment) {
        requireNonNull(columns, "columns is null");
        requireNonNull(deployment, "deployment is null");
        Set<String> names = new LinkedHashSet<>();
        for (String f : columns.features()) {
            for (DriftTest test : testsFor(f, NUMERIC_DEFAULTS)) {
                names.add(name(deployment, "drift", f, testId(test)));
            }
            names.add(name(deployment, "drift", f, "drifted"));
        }
        names.add(name(deployment, "drift", "dataset", "share"));
        names.add(name(deployment, "drift", "dataset", "drifted"));
        boolean categorical = columns.output() == OutputShape.CLASS;
        for (DriftTest test : testsFor(WatchedColumns.OUTPUT, categorical ? CATEGORICAL_DEFAULTS : NUMERIC_DEFAULTS)) {
            names.add(name(deployment, "drift", "prediction", testId(test)));
        }
        names.add(name(deployment, "drift", "prediction", "drifted"));
        names.add(name(deployment, "drift", "multivariate", "reconstruction_error"));
        names.add(name(deployment, "drift", "multivariate", "alert"));
        for (String metric : realisedMetrics(columns.output())) {
            names.add(name(deployment, "performance", "realised", metric));
        }
        if (columns.output() == OutputShape.SCORE) {
            for (Metric metric : Metric.values()) {
                names.add(name(deployment, "performance", "estimated", metricId(metric)));
            }
        }
        if (columns.output() != OutputShape.VALUE) {
            names.add(name(deployment, "concept", DDM, "drift"));
        }
        names.add(name(deployment, "concept", ADWIN, "drift"));
        names.add(name(deployment, "volume", "rows", "count"));
        return names;
    }

    /** {@link #knownFigures(WatchedColumns, String)} of the reference's columns. */
    public Set<String> knownFigures(Reference reference, String deployment) {
        return knownFigures(requireNonNull(reference, "reference is null").columns(), deployment);
    }

    private Set<DriftTest> testsFor(String column, Set<DriftTest> defaults) {
        MonitorSettings.ColumnTest configured = settings.overrides().get(column);
        return configured != null ? EnumSet.of(configured.test()) : defaults;
    }

    private static List<String> realisedMetrics(OutputShape shape) {
        return switch (shape) {
            case SCORE -> Arrays.stream(Metric.values()).map(Monitor::metricId).toList();
            case VALUE -> List.of("mae", "rmse");
            case CLASS -> List.of("accuracy");
        };
    }

    static String metricId(Metric metric) {
        return metric.name().toLowerCase(Locale.ROOT);
    }

    // ---------------------------------------------------------------- one window

    /**
     * The figures of one closed window against the reference, with {@code realised} the window's
     * predictions that have their outcome (scores or values and outcomes, in prediction order).
     * Never throws for a window and a reference that do not match; see the class comment.
     */
    public Monitored figures(Reference reference, ClosedWindow window, Optional<Labelled> realised) {
        requireNonNull(reference, "reference is null");
        requireNonNull(window, "window is null");
        requireNonNull(realised, "realised is null");
        List<String> problems = new ArrayList<>();
        if (!window.end().isAfter(window.start()) || !SEGMENT.matcher(window.deployment()).matches()) {
            problems.add("Window of [" + window.deployment() + "] from " + window.start() + " to " + window.end()
                    + " cannot carry figures (empty span or a deployment name that is not a figure segment)");
            return new Monitored(List.of(), problems);
        }
        problems.addAll(compatibility(reference, window.columns()));
        if (window.reservoir().width() != window.columns().width()) {
            problems.add("Window of [" + window.deployment() + "] has reservoir rows of " + window.reservoir().width()
                    + " values for " + window.columns().width() + " columns");
            return new Monitored(List.of(Figure.ok(name(window.deployment(), "volume", "rows", "count"),
                    window.start(), window.end(), window.rows())), problems);
        }
        Figures out = new Figures(window);
        drift(reference, window, out, problems);
        multivariate(reference, window, out, problems);
        performance(reference, window, realised, out, problems);
        concept(window, realised, out, problems);
        out.ok("volume", "rows", "count", window.rows());
        return new Monitored(out.list, problems);
    }

    /** Collects the figures of one window, dropping (with a problem) a name that is not a figure name. */
    private static final class Figures {
        final ClosedWindow window;
        final List<Figure> list = new ArrayList<>();

        Figures(ClosedWindow window) {
            this.window = window;
        }

        void ok(String kind, String subject, String statistic, double value) {
            if (Double.isFinite(value)) {
                list.add(Figure.ok(name(window.deployment(), kind, subject, statistic), window.start(), window.end(), value));
            } else {
                noData(kind, subject, statistic);
            }
        }

        void noData(String kind, String subject, String statistic) {
            list.add(Figure.noData(name(window.deployment(), kind, subject, statistic), window.start(), window.end()));
        }
    }

    private void drift(Reference reference, ClosedWindow window, Figures out, List<String> problems) {
        WatchedColumns ref = reference.columns();
        WatchedColumns cur = window.columns();
        boolean enough = window.reservoir().size() >= settings.minimumRows();
        if (!enough) {
            problems.add("Window of [" + window.deployment() + "] has " + window.reservoir().size()
                    + " sampled rows, fewer than the " + settings.minimumRows() + " drift needs");
        }
        List<ColumnDrift> drifts = new ArrayList<>();
        List<String> untested = new ArrayList<>();
        for (int c = 0; c < cur.features().size(); c++) {
            String feature = cur.features().get(c);
            if (!SEGMENT.matcher(feature).matches()) {
                problems.add("Feature [" + feature + "] is not a figure name segment; it has no drift figures");
                continue;
            }
            int at = ref.features().indexOf(feature);
            if (at < 0 || !enough) {
                untested.add(feature);
                continue;
            }
            try {
                drifts.add(driftTests.numeric(feature, reference.reservoir().column(at), window.reservoir().column(c)));
            } catch (SeerException e) {
                problems.add("Drift of feature [" + feature + "]: " + e.getMessage());
                untested.add(feature);
            }
        }
        DatasetDrift dataset = driftTests.dataset(drifts);
        for (ColumnDrift d : dataset.columns()) {
            columnFigures(out, d.column(), d);
        }
        for (String feature : untested) {
            out.noData("drift", feature, "drifted");
        }
        if (dataset.testedColumns() == 0) {
            out.noData("drift", "dataset", "share");
            out.noData("drift", "dataset", "drifted");
        } else {
            out.ok("drift", "dataset", "share", dataset.share());
            out.ok("drift", "dataset", "drifted", dataset.drifted() ? 1 : 0);
        }
        if (!enough || ref.output() != cur.output()) {
            out.noData("drift", "prediction", "drifted");
            return;
        }
        try {
            columnFigures(out, "prediction", outputDrift(reference, window.reservoir()));
        } catch (SeerException e) {
            problems.add("Drift of the prediction: " + e.getMessage());
            out.noData("drift", "prediction", "drifted");
        }
    }

    private ColumnDrift outputDrift(Reference reference, Reservoir current) {
        int refAt = reference.columns().features().size();
        int curAt = current.width() - 1;
        if (reference.columns().output() == OutputShape.CLASS) {
            return driftTests.categorical(WatchedColumns.OUTPUT, classes(reference.reservoir().column(refAt)),
                    classes(current.column(curAt)));
        }
        return driftTests.numeric(WatchedColumns.OUTPUT, reference.reservoir().column(refAt), current.column(curAt));
    }

    private static String[] classes(double[] values) {
        String[] out = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Double.isFinite(values[i]) ? Long.toString((long) values[i]) : null;
        }
        return out;
    }

    private static void columnFigures(Figures out, String subject, ColumnDrift d) {
        if (d.status() == ColumnDrift.Status.NO_DATA) {
            out.noData("drift", subject, testId(d.test()));
            out.noData("drift", subject, "drifted");
        } else {
            out.ok("drift", subject, testId(d.test()), d.score());
            out.ok("drift", subject, "drifted", d.drifted() ? 1 : 0);
        }
    }

    private void multivariate(Reference reference, ClosedWindow window, Figures out, List<String> problems) {
        Fitted fitted = fitted(reference);
        WatchedColumns ref = reference.columns();
        List<Column> chunk = new ArrayList<>();
        for (String feature : ref.features()) {
            int at = window.columns().features().indexOf(feature);
            if (at < 0) {
                chunk = null;
                break;
            }
            chunk.add(Column.numeric(feature, window.reservoir().column(at)));
        }
        if (fitted.reconstruction.isEmpty() || chunk == null || window.reservoir().size() < settings.minimumRows()) {
            fitted.reconstructionProblem.ifPresent(problems::add);
            out.noData("drift", "multivariate", "reconstruction_error");
            out.noData("drift", "multivariate", "alert");
            return;
        }
        try {
            ReconstructionDrift.Score score = fitted.reconstruction.get().score(chunk);
            if (!score.hasData()) {
                out.noData("drift", "multivariate", "reconstruction_error");
                out.noData("drift", "multivariate", "alert");
                return;
            }
            out.ok("drift", "multivariate", "reconstruction_error", score.error());
            out.ok("drift", "multivariate", "alert", score.alert() ? 1 : 0);
        } catch (SeerException e) {
            problems.add("Multivariate drift: " + e.getMessage());
            out.noData("drift", "multivariate", "reconstruction_error");
            out.noData("drift", "multivariate", "alert");
        }
    }

    private void performance(Reference reference, ClosedWindow window, Optional<Labelled> realised, Figures out,
            List<String> problems) {
        OutputShape shape = window.columns().output();
        Optional<Labelled> labelled = realised.filter(l -> l.size() >= settings.minimumRows());
        switch (shape) {
            case SCORE -> realisedScores(labelled, out, problems);
            case VALUE -> realisedValues(labelled, out);
            case CLASS -> realisedClasses(labelled, out);
            default -> throw new IllegalStateException("unreachable: " + shape);
        }
        if (shape != OutputShape.SCORE) {
            return;
        }
        Fitted fitted = fitted(reference);
        Optional<Estimate> estimate = Optional.empty();
        if (fitted.cbpe.isPresent() && reference.columns().output() == OutputShape.SCORE
                && window.reservoir().size() >= settings.minimumRows()) {
            try {
                estimate = Optional.of(fitted.cbpe.get().estimate(finite(window.reservoir().column(window.reservoir().width() - 1))));
            } catch (SeerException e) {
                problems.add("Estimated performance: " + e.getMessage());
            }
        } else {
            fitted.cbpeProblem.ifPresent(problems::add);
        }
        for (Metric metric : Metric.values()) {
            if (estimate.isPresent() && estimate.get().hasData()) {
                out.ok("performance", "estimated", metricId(metric), estimate.get().get(metric).value());
            } else {
                out.noData("performance", "estimated", metricId(metric));
            }
        }
    }

    private void realisedScores(Optional<Labelled> labelled, Figures out, List<String> problems) {
        Optional<Realised> r = Optional.empty();
        if (labelled.isPresent()) {
            try {
                int[] labels = labels(labelled.get().outcomes());
                r = Optional.of(Realised.of(labelled.get().scores(), predicted(labelled.get().scores()), labels));
            } catch (SeerException e) {
                problems.add("Realised performance: " + e.getMessage());
            }
        }
        for (Metric metric : Metric.values()) {
            if (r.isPresent() && r.get().hasData()) {
                out.ok("performance", "realised", metricId(metric), r.get().get(metric).value());
            } else {
                out.noData("performance", "realised", metricId(metric));
            }
        }
    }

    private static void realisedValues(Optional<Labelled> labelled, Figures out) {
        if (labelled.isEmpty()) {
            out.noData("performance", "realised", "mae");
            out.noData("performance", "realised", "rmse");
            return;
        }
        double abs = 0;
        double squares = 0;
        int n = 0;
        for (int i = 0; i < labelled.get().size(); i++) {
            double e = labelled.get().scores()[i] - labelled.get().outcomes()[i];
            if (Double.isFinite(e)) {
                abs += Math.abs(e);
                squares += e * e;
                n++;
            }
        }
        out.ok("performance", "realised", "mae", n == 0 ? Double.NaN : abs / n);
        out.ok("performance", "realised", "rmse", n == 0 ? Double.NaN : Math.sqrt(squares / n));
    }

    private static void realisedClasses(Optional<Labelled> labelled, Figures out) {
        if (labelled.isEmpty()) {
            out.noData("performance", "realised", "accuracy");
            return;
        }
        int right = 0;
        for (int i = 0; i < labelled.get().size(); i++) {
            right += labelled.get().scores()[i] == labelled.get().outcomes()[i] ? 1 : 0;
        }
        out.ok("performance", "realised", "accuracy", (double) right / labelled.get().size());
    }

    private int[] predicted(double[] scores) {
        int[] out = new int[scores.length];
        for (int i = 0; i < scores.length; i++) {
            out[i] = scores[i] >= settings.cbpe().threshold() ? 1 : 0;
        }
        return out;
    }

    /** The finite values: a missing output (NaN) is not a score CBPE can weigh. */
    private static double[] finite(double[] values) {
        return Arrays.stream(values).filter(Double::isFinite).toArray();
    }

    private static int[] labels(double[] outcomes) {
        int[] out = new int[outcomes.length];
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] != 0 && outcomes[i] != 1) {
                throw new SeerException(MonitoringErrorCode.INVALID_ARGUMENT, "Outcome [" + outcomes[i] + "] at row " + i
                        + " of a binary classifier is not 0 or 1", Map.of("field", "outcome"));
            }
            out[i] = (int) outcomes[i];
        }
        return out;
    }

    // ---------------------------------------------------------------- concept drift

    private void concept(ClosedWindow window, Optional<Labelled> realised, Figures out, List<String> problems) {
        OutputShape shape = window.columns().output();
        double[] errors = realised.map(l -> errors(shape, l)).orElse(new double[0]);
        if (shape != OutputShape.VALUE) {
            feed(window, DDM, errors, out, problems);
        }
        feed(window, ADWIN, errors, out, problems);
    }

    private double[] errors(OutputShape shape, Labelled labelled) {
        double[] out = new double[labelled.size()];
        for (int i = 0; i < out.length; i++) {
            double s = labelled.scores()[i];
            double o = labelled.outcomes()[i];
            out[i] = switch (shape) {
                case SCORE -> (s >= settings.cbpe().threshold() ? 1 : 0) == o ? 0 : 1;
                case CLASS -> s == o ? 0 : 1;
                case VALUE -> Math.abs(s - o);
            };
        }
        return out;
    }

    /**
     * Feeds one detector the window's errors. A window not later than the last one fed is not fed
     * again: the same window gets the answer it got, an older one NO_DATA.
     */
    private void feed(ClosedWindow window, String kind, double[] errors, Figures out, List<String> problems) {
        Optional<DetectorStates.Saved> saved = detectors.read(window.deployment(), kind);
        if (saved.isPresent() && !window.end().isAfter(saved.get().fedThrough())) {
            if (window.end().equals(saved.get().fedThrough())) {
                out.ok("concept", kind, "drift", saved.get().detected() ? 1 : 0);
            } else {
                out.noData("concept", kind, "drift");
            }
            return;
        }
        if (errors.length == 0) {
            out.noData("concept", kind, "drift");
            return;
        }
        DriftDetector detector = null;
        if (saved.isPresent()) {
            try {
                detector = DriftDetector.fromBytes(saved.get().state());
            } catch (SeerException e) {
                problems.add("Concept detector [" + kind + "] of [" + window.deployment() + "] restarted: " + e.getMessage());
            }
        }
        if (detector == null) {
            detector = kind.equals(DDM) ? new Ddm() : new Adwin();
        }
        boolean detected = false;
        for (double e : errors) {
            if (Double.isFinite(e)) {
                detected |= detector.update(e) == DriftDetector.State.DRIFT;
            }
        }
        detectors.write(window.deployment(), kind, new DetectorStates.Saved(detector.toBytes(), window.end(), detected));
        out.ok("concept", kind, "drift", detected ? 1 : 0);
    }

    // ---------------------------------------------------------------- fits per reference

    /** What is fitted once per reference: the PCA reconstruction and CBPE, or why not. */
    private record Fitted(Optional<ReconstructionDrift> reconstruction, Optional<String> reconstructionProblem,
            Optional<Cbpe> cbpe, Optional<String> cbpeProblem) {
    }

    private Fitted fitted(Reference reference) {
        synchronized (fits) {
            Fitted fitted = fits.get(reference.id());
            if (fitted == null) {
                fitted = fit(reference);
                fits.put(reference.id(), fitted);
            }
            return fitted;
        }
    }

    private Fitted fit(Reference reference) {
        Optional<ReconstructionDrift> reconstruction = Optional.empty();
        Optional<String> reconstructionProblem = Optional.empty();
        try {
            if (reference.reservoir().width() != reference.columns().width()) {
                throw new SeerException(MonitoringErrorCode.INCOMPATIBLE, "its reservoir is not as wide as its columns");
            }
            List<Column> columns = new ArrayList<>();
            for (int c = 0; c < reference.columns().features().size(); c++) {
                columns.add(Column.numeric(reference.columns().features().get(c), reference.reservoir().column(c)));
            }
            reconstruction = Optional.of(ReconstructionDrift.fit(columns));
        } catch (SeerException e) {
            reconstructionProblem = Optional.of("Multivariate drift cannot be fitted on reference [" + reference.id() + "]: "
                    + e.getMessage());
        }
        Optional<Cbpe> cbpe = Optional.empty();
        Optional<String> cbpeProblem = Optional.empty();
        if (reference.columns().output() == OutputShape.SCORE) {
            if (reference.labelled().isEmpty()) {
                cbpeProblem = Optional.of("Reference [" + reference.id() + "] has no labelled rows; no estimated performance");
            } else {
                try {
                    Labelled l = reference.labelled().get();
                    cbpe = Optional.of(Cbpe.fit(l.scores(), labels(l.outcomes()), settings.cbpe()));
                } catch (SeerException e) {
                    cbpeProblem = Optional.of("CBPE cannot be fitted on reference [" + reference.id() + "]: " + e.getMessage());
                }
            }
        }
        return new Fitted(reconstruction, reconstructionProblem, cbpe, cbpeProblem);
    }

    // ---------------------------------------------------------------- report

    /**
     * The drift and performance report of windows against the reference: drift per feature and of
     * the prediction on a sample of the range (each window's reservoir contributing in proportion to
     * its rows), distributions from the windows' merged profiles, and per window CBPE's estimate
     * (SCORE, labelled reference) beside the realised values of {@code realised} (one entry per
     * window, empty where no label came). No windows: a NO_DATA report. A reference or a window that
     * does not match: INCOMPATIBLE naming the column ({@link #check}).
     */
    public MonitorReport report(Reference reference, List<ClosedWindow> windows, List<Optional<Labelled>> realised,
            String deployment, Instant from, Instant to, Instant generatedAt) {
        requireNonNull(reference, "reference is null");
        requireNonNull(windows, "windows is null");
        requireNonNull(realised, "realised is null");
        if (realised.size() != windows.size()) {
            throw new SeerException(MonitoringErrorCode.INVALID_ARGUMENT, windows.size() + " windows but " + realised.size()
                    + " realised entries", Map.of("field", "realised"));
        }
        MonitorReport.Builder builder = MonitorReport.builder(deployment, from, to).reference(reference.id())
                .generatedAt(generatedAt);
        if (windows.isEmpty()) {
            return builder.build();
        }
        for (ClosedWindow w : windows) {
            check(reference, w.columns());
            if (!w.columns().equals(windows.get(0).columns())) {
                throw new SeerException(MonitoringErrorCode.INCOMPATIBLE, "Windows of [" + deployment + "] from "
                        + windows.get(0).start() + " and " + w.start() + " are watched on other columns: "
                        + windows.get(0).columns() + " and " + w.columns(), Map.of("column", WatchedColumns.OUTPUT));
            }
        }
        Profile merged = windows.get(0).profile();
        for (ClosedWindow w : windows.subList(1, windows.size())) {
            merged = merged.merge(w.profile());
        }
        builder.profiles(reference.profile(), merged);
        Reservoir pooled = pooled(windows);
        List<ColumnDrift> drifts = new ArrayList<>();
        for (int c = 0; c < reference.columns().features().size(); c++) {
            String feature = reference.columns().features().get(c);
            int at = windows.get(0).columns().features().indexOf(feature);
            drifts.add(driftTests.numeric(feature, reference.reservoir().column(c), pooled.column(at)));
        }
        builder.drift(driftTests.dataset(drifts));
        builder.prediction(outputDrift(reference, pooled), null);
        Fitted fitted = reference.columns().output() == OutputShape.SCORE ? fitted(reference) : null;
        for (int i = 0; i < windows.size(); i++) {
            ClosedWindow w = windows.get(i);
            if (fitted == null) {
                continue;
            }
            Estimate estimate = fitted.cbpe.map(c -> c.estimate(finite(w.reservoir().column(w.reservoir().width() - 1))))
                    .orElse(null);
            Realised r = realised.get(i).map(l -> Realised.of(l.scores(), predicted(l.scores()), labels(l.outcomes())))
                    .orElse(null);
            if (w.end().isAfter(w.start())) {
                builder.window(w.start(), w.end(), estimate, r);
            }
        }
        return builder.build();
    }

    /**
     * One sample of several windows: from each window's reservoir, rows in proportion to the rows
     * the window saw, so a busy hour weighs as much in the range's sample as in the range.
     */
    static Reservoir pooled(List<ClosedWindow> windows) {
        int width = windows.get(0).reservoir().width();
        int capacity = 0;
        long total = 0;
        for (ClosedWindow w : windows) {
            capacity = Math.max(capacity, w.reservoir().capacity());
            total += w.rows();
        }
        Reservoir out = Reservoir.create(width, Math.max(1, capacity), 0);
        for (ClosedWindow w : windows) {
            int take = total == 0 ? 0 : (int) Math.min(w.reservoir().size(), Math.round((double) capacity * w.rows() / total));
            // strided: a reservoir that has not filled up holds its rows in arrival order
            for (int i = 0; i < take; i++) {
                out.offer(w.reservoir().row((int) ((long) i * w.reservoir().size() / take)));
            }
        }
        return out;
    }
}
