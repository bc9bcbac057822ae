package dev.seer.server;

import static java.util.Objects.requireNonNull;

import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import dev.seer.models.Signature;
import dev.seer.monitoring.profile.Profile;
import dev.seer.monitoring.watch.Labelled;
import dev.seer.monitoring.watch.OutputShape;
import dev.seer.monitoring.watch.Reference;
import dev.seer.monitoring.watch.Reservoir;
import dev.seer.monitoring.watch.WatchedColumns;
import dev.seer.monitoring.watch.WindowStore;
import dev.seer.registry.tracking.TrackingStore;
import dev.seer.registry.versions.ModelVersion;
import dev.seer.registry.versions.ModelRegistry;
import dev.seer.registry.versions.VersionDetails;
import dev.seer.serving.deploy.ModelRef;
import dev.seer.serving.deploy.Predictor;
import dev.seer.serving.scoring.Scorer;
import dev.seer.training.Task;
import dev.seer.training.data.DatasetSource;
import dev.seer.training.data.Frame;
import dev.seer.training.data.FrameReader;
import dev.seer.training.data.TrainingData;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The reference a deployment's windows are compared with, built from its champion: the registered
 * version names the dataset version it was trained on and its signature; that version's splits
 * are read as training read them ({@link FrameReader} over the {@link DatasetSource}, so the same
 * label, the same class order and the signature's features in its order); every train-split row
 * is profiled and sampled together with the champion's output on it, computed by the serving
 * scorer (so a reference output and a live output are the same number for the same row); and
 * for a binary classifier the test split (else validation) scored by the champion, with its
 * labels, is what CBPE is fitted on.
 *
 * <p>A reference is named {@code DATASET:VERSION/train@MODEL:VERSION} and never changes (model
 * and dataset versions are immutable), so the last {@value #CACHED} are kept in memory: building
 * one reads a dataset. A version without a recorded dataset or signature (an imported model file,
 * an online model) has no reference; {@link #lookup} says why, for the monitor to report that
 * deployment's drift as NO_DATA with the reason.
 *
 * <p>The references handed out are shared: callers read them (profiles merge into copies) and
 * never offer to their reservoirs.
 */
final class MonitorReferences {
    /** The default reservoir capacity ({@code monitoring.reservoir-size}). */
    static final int DEFAULT_RESERVOIR = 10_000;
    static final int CACHED = 8;
    /** Fixed, so one dataset version always gives the same sample. */
    static final long SEED = 0x5EE2_2EF5L;
    /** Rows scored per call: bounds the flat copy of a large split. */
    private static final int CHUNK = 4096;

    /** A deployment's reference, or why it has none. */
    record Lookup(Optional<Reference> reference, Optional<String> missing) {
        Lookup {
            requireNonNull(reference, "reference is null");
            requireNonNull(missing, "missing is null");
            if (reference.isPresent() == missing.isPresent()) {
                throw new IllegalArgumentException("a reference or the reason there is none, not both");
            }
        }

        static Lookup found(Reference reference) {
            return new Lookup(Optional.of(reference), Optional.empty());
        }

        static Lookup missing(String reason) {
            return new Lookup(Optional.empty(), Optional.of(reason));
        }
    }

    private final ModelRegistry models;
    private final TrackingStore tracking;
    private final Predictor.ModelSource loaded;
    private final DatasetSource datasets;
    private final WindowStore stored;
    private final int reservoirSize;
    private final Map<String, Reference> cache = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Reference> eldest) {
            return size() > CACHED;
        }
    };

    /**
     * @param stored where built references are kept: a reference is built from immutable versions (a model version
     *     and a dataset version), so one built is good for ever, and a restarted server does not read the dataset again
     */
    MonitorReferences(ModelRegistry models, TrackingStore tracking, Predictor.ModelSource loaded, DatasetSource datasets,
            WindowStore stored, int reservoirSize) {
        this.models = requireNonNull(models, "models is null");
        this.stored = requireNonNull(stored, "stored is null");
        this.tracking = requireNonNull(tracking, "tracking is null");
        this.loaded = requireNonNull(loaded, "loaded is null");
        this.datasets = requireNonNull(datasets, "datasets is null");
        if (reservoirSize < 1) {
            throw new IllegalArgumentException("reservoirSize must be at least 1, not " + reservoirSize);
        }
        this.reservoirSize = reservoirSize;
    }

    /**
     * The reference of {@code champion}, or why it has none: the version unknown, no dataset or
     * signature recorded, the dataset gone or unreadable. Failures that are not Seer's own
     * (a bug) are thrown.
     */
    Lookup lookup(ModelRef champion) {
        try {
            return Lookup.found(reference(champion));
        } catch (SeerException e) {
            return Lookup.missing(e.getMessage());
        }
    }

    /** The reference of {@code champion}; INVALID_ARGUMENT naming the field when its version cannot have one. */
    Reference reference(ModelRef champion) {
        requireNonNull(champion, "champion is null");
        ModelVersion version = models.version(champion.model(), champion.version());
        VersionDetails details = version.details();
        String dataset = details.dataset().orElseThrow(() -> unusable(champion, "records no dataset it was trained on"
                + " (an imported model file or an online model)", "dataset"));
        if (details.signature().isEmpty()) {
            throw unusable(champion, "records no signature", "signature");
        }
        // the sample's size is part of the id: a reservoir-size changed in seer.yaml builds the reference again
        String id = dataset + "/train@" + champion + "/" + reservoirSize;
        synchronized (cache) {
            Reference cached = cache.get(id);
            if (cached != null) {
                return cached;
            }
        }
        // built outside the lock: two threads may build the same reference once each, and neither waits on the other's read
        Reference built = stored.reference(id).orElseGet(() -> {
            Reference fresh = build(id, champion, version, dataset, Signature.CODEC.decode(details.signature().get()));
            stored.saveReference(fresh);
            return fresh;
        });
        synchronized (cache) {
            cache.put(id, built);
        }
        return built;
    }

    private Reference build(String id, ModelRef champion, ModelVersion version, String dataset, Signature signature) {
        WatchedColumns columns = new WatchedColumns(signature.names(), MonitorFeed.shape(signature.output()));
        TrainingData data = FrameReader.read(datasets.open(dataset), label(version), task(signature), signature.names());
        Scorer scorer = loaded.load(champion).scorer();
        Frame train = data.train();
        double[] outputs = outputs(scorer, train, columns.output());
        Profile profile = Profile.create(columns.schema());
        for (int c = 0; c < columns.features().size(); c++) {
            profile.updateColumn(columns.features().get(c), column(train, c));
        }
        if (columns.output() == OutputShape.CLASS) {
            String[] classes = new String[outputs.length];
            for (int i = 0; i < outputs.length; i++) {
                classes[i] = WatchedColumns.classLabel(outputs[i]);
            }
            profile.updateColumn(WatchedColumns.OUTPUT, classes);
        } else {
            profile.updateColumn(WatchedColumns.OUTPUT, outputs);
        }
        Reservoir reservoir = Reservoir.create(columns.width(), reservoirSize, SEED);
        double[] row = new double[columns.width()];
        for (int i = 0; i < train.rows(); i++) {
            System.arraycopy(train.x()[i], 0, row, 0, train.width());
            row[train.width()] = outputs[i];
            reservoir.offer(row);
        }
        return new Reference(id, columns, profile, reservoir, labelled(scorer, data, columns.output()));
    }

    /** The held-out rows scored by the champion, with their labels (class 1 is the positive class): binary only. */
    private static Optional<Labelled> labelled(Scorer scorer, TrainingData data, OutputShape shape) {
        if (shape != OutputShape.SCORE) {
            return Optional.empty();
        }
        Frame held = data.test().rows() > 0 ? data.test() : data.validation();
        if (held.rows() == 0) {
            return Optional.empty();
        }
        return Optional.of(new Labelled(outputs(scorer, held, shape), held.y().clone()));
    }

    /**
     * The champion's output on each row as the watched output column holds it: P(class 1) for a
     * binary classifier, the value for a regression, the most probable class's index for a
     * multiclass one.
     */
    static double[] outputs(Scorer scorer, Frame frame, OutputShape shape) {
        int n = frame.rows();
        int width = frame.width();
        int outWidth = scorer.signature().width();
        double[] outputs = new double[n];
        double[] rows = new double[Math.min(n, CHUNK) * width];
        double[] out = new double[Math.min(n, CHUNK) * outWidth];
        for (int start = 0; start < n; start += CHUNK) {
            int count = Math.min(CHUNK, n - start);
            for (int i = 0; i < count; i++) {
                System.arraycopy(frame.x()[start + i], 0, rows, i * width, width);
            }
            scorer.score(rows, count, out);
            for (int i = 0; i < count; i++) {
                outputs[start + i] = MonitorFeed.output(shape, out, i * outWidth, outWidth);
            }
        }
        return outputs;
    }

    private static Task task(Signature signature) {
        return switch (signature.output()) {
            case PROBABILITY -> Task.BINARY;
            case VALUE -> Task.REGRESSION;
            case CLASS_PROBABILITIES -> Task.MULTICLASS;
        };
    }

    /** The label the version's run trained on (a spec may name another than the dataset's); empty: the dataset's. */
    private Optional<String> label(ModelVersion version) {
        return version.runId().map(tracking::run).map(run -> run.params().get("label"));
    }

    private static double[] column(Frame frame, int c) {
        double[] values = new double[frame.rows()];
        for (int i = 0; i < values.length; i++) {
            values[i] = frame.x()[i][c];
        }
        return values;
    }

    private static SeerException unusable(ModelRef champion, String why, String field) {
        return new SeerException(CoreErrorCode.INVALID_ARGUMENT, "Model version [" + champion + "] " + why
                + ", so it has no reference to watch drift against; field [" + field + "]", Map.of("field", field));
    }
}
