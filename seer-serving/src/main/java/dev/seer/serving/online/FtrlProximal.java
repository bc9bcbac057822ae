package dev.seer.serving.online;

import static java.util.Objects.requireNonNull;

import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import dev.seer.core.schema.Column;
import dev.seer.core.schema.ColumnType;
import dev.seer.core.schema.Schema;
import dev.seer.models.LinearModel;
import dev.seer.models.OutputKind;
import dev.seer.models.Signature;
import dev.seer.serving.ServingErrorCode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.zip.CRC32;

/**
 * Online logistic regression by FTRL-Proximal (McMahan et al., "Ad Click Prediction: a View from the Trenches",
 * KDD 2013, Algorithm 1): the model kind {@code online_logistic}, updated one labelled row at a time as feedback
 * arrives.
 *
 * <h2>The algorithm</h2>
 * Each coordinate i keeps z_i (the accumulated gradients, less a proximal correction) and n_i (the sum of its
 * squared gradients). Its weight is computed from them lazily:
 * <pre>  w_i = 0                                              if |z_i| ≤ λ1
 *   w_i = −(z_i − sgn(z_i)·λ1) / ((β + √n_i)/α + λ2)      otherwise</pre>
 * For a row x with label y, p = σ(w·x); then for every coordinate with x_i ≠ 0, g_i = (p − y)·x_i,
 * σ_i = (√(n_i + g_i²) − √n_i)/α, z_i += g_i − σ_i·w_i, n_i += g_i². This is follow-the-regularized-leader with
 * per-coordinate adaptive rates α/(β + √n_i): without λ1 it takes the same steps as AdaGrad-scaled online
 * gradient descent, and with λ1 it gives exact zeros.
 *
 * <h2>Seer's choices</h2>
 * <ul>
 *   <li>Dense rows (one double per feature, in {@link #features()} order) rather than the paper's hashed sparse
 *       ones. A missing value (NaN) counts as 0: it adds nothing to the score and its coordinate is not updated,
 *       which is how the paper treats a feature absent from a row. {@link #snapshot()} carries fill values of 0,
 *       so the registered model treats NaN the same way. An infinite value is refused.
 *   <li>An intercept: a coordinate whose x is always 1, with the same adaptive rate but neither λ1 nor λ2, since
 *       shrinking the base rate towards 1/2 is not regularisation.
 *   <li>The weights are cached and recomputed only for the coordinates an update touches, so {@link #predict}
 *       costs one dot product. Updates take a write lock, predictions a read lock: a prediction sees the model
 *       before or after an update, never halfway.
 *   <li>{@link #save()} writes the whole state (settings, features, z, n, update count) in a versioned binary
 *       form with a CRC-32, and {@link #restore} continues from it exactly: the same further updates give the
 *       same bits as a model that never stopped.
 * </ul>
 * The rates decay as n_i grows, so after an abrupt change the model adapts more slowly the longer it has run;
 * a larger α forgets faster at the price of noisier weights.
 */
public final class FtrlProximal {
    static final int MAGIC = 0x53465452; // "SFTR"
    static final int VERSION = 1;

    private final List<String> features;
    private final FtrlSettings settings;
    private final int intercept;
    private final double[] z;
    private final double[] n;
    private final double[] w;
    private long updates;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    /** A model of the given features with all weights 0 (every prediction 1/2). */
    public FtrlProximal(List<String> features, FtrlSettings settings) {
        this(features, settings, new double[features.size() + 1], new double[features.size() + 1], 0);
    }

    private FtrlProximal(List<String> features, FtrlSettings settings, double[] z, double[] n, long updates) {
        this.features = List.copyOf(requireNonNull(features, "features is null"));
        this.settings = requireNonNull(settings, "settings is null");
        if (this.features.isEmpty() || new HashSet<>(this.features).size() != this.features.size()) {
            throw new SeerException(ServingErrorCode.INVALID_ARGUMENT, "An online model needs at least one feature, "
                    + "each named once; it has " + this.features, Map.of("field", "features"));
        }
        this.intercept = this.features.size();
        this.z = z;
        this.n = n;
        this.w = new double[z.length];
        this.updates = updates;
        for (int i = 0; i < w.length; i++) {
            w[i] = weight(i);
        }
    }

    public List<String> features() {
        return features;
    }

    public FtrlSettings settings() {
        return settings;
    }

    /** The signature a {@link #snapshot()} is registered with: every feature float64, a probability out. */
    public Signature signature() {
        return Signature.of(Schema.of(features.stream().map(name -> new Column(name, ColumnType.FLOAT64, true))
                .toList()), OutputKind.PROBABILITY);
    }

    /** How many rows the model has learnt from. */
    public long updates() {
        lock.readLock().lock();
        try {
            return updates;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** P(label 1) for a row of the features in order, NaN for missing. */
    public double predict(double[] row) {
        check(row);
        lock.readLock().lock();
        try {
            return probability(row);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Learns from one row and its label, 0 or 1. */
    public void update(double[] row, double label) {
        check(row);
        if (label != 0 && label != 1) {
            throw new SeerException(ServingErrorCode.INVALID_ARGUMENT, "The label of an online logistic model's "
                    + "row is 0 or 1, not [" + label + "]", Map.of("field", "label"));
        }
        lock.writeLock().lock();
        try {
            double gradient = probability(row) - label;
            for (int i = 0; i < intercept; i++) {
                if (!Double.isNaN(row[i]) && row[i] != 0) {
                    step(i, gradient * row[i]);
                }
            }
            step(intercept, gradient);
            updates++;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * The model as it stands, as seer-models' logistic {@link LinearModel} (NaN filled with 0): registered as an
     * ordinary {@code seer-linear} version, it predicts exactly what this model predicts now.
     */
    public LinearModel snapshot() {
        lock.readLock().lock();
        try {
            return new LinearModel(features, Arrays.copyOf(w, intercept), w[intercept], LinearModel.Link.LOGIT,
                    new double[intercept]);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The whole state, versioned, for {@link #restore}. */
    public byte[] save() {
        lock.readLock().lock();
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeDouble(settings.alpha());
            out.writeDouble(settings.beta());
            out.writeDouble(settings.l1());
            out.writeDouble(settings.l2());
            out.writeInt(features.size());
            for (String feature : features) {
                out.writeUTF(feature);
            }
            out.writeLong(updates);
            for (int i = 0; i < z.length; i++) {
                out.writeDouble(z[i]);
                out.writeDouble(n[i]);
            }
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A model continuing from {@link #save()}'s bytes; refuses bytes of another kind, version or a damaged copy. */
    public static FtrlProximal restore(byte[] bytes) {
        requireNonNull(bytes, "bytes is null");
        if (bytes.length < 8 + Long.BYTES) {
            throw corrupt("has [" + bytes.length + "] bytes, too few to be one");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - Long.BYTES);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC) {
                throw corrupt("does not start with the online model's mark");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw corrupt("has version [" + version + "]; this Seer reads version [" + VERSION + "]");
            }
            in.skipNBytes(bytes.length - 8 - Long.BYTES);
            if (in.readLong() != crc.getValue()) {
                throw corrupt("fails its checksum: it was damaged or cut");
            }
        } catch (EOFException e) {
            throw corrupt("ends early");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return read(bytes);
    }

    private static FtrlProximal read(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 8, bytes.length - 8))) {
            FtrlSettings settings = new FtrlSettings(in.readDouble(), in.readDouble(), in.readDouble(),
                    in.readDouble());
            int count = in.readInt();
            if (count < 1 || count > bytes.length) {
                throw corrupt("names [" + count + "] features");
            }
            List<String> features = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                features.add(in.readUTF());
            }
            long updates = in.readLong();
            double[] z = new double[count + 1];
            double[] n = new double[count + 1];
            for (int i = 0; i <= count; i++) {
                z[i] = in.readDouble();
                n[i] = in.readDouble();
            }
            return new FtrlProximal(features, settings, z, n, updates);
        } catch (EOFException e) {
            throw corrupt("ends early");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void step(int i, double g) {
        double sigma = (Math.sqrt(n[i] + g * g) - Math.sqrt(n[i])) / settings.alpha();
        z[i] += g - sigma * w[i];
        n[i] += g * g;
        w[i] = weight(i);
    }

    private double weight(int i) {
        boolean penalised = i != intercept;
        double l1 = penalised ? settings.l1() : 0;
        if (Math.abs(z[i]) <= l1) {
            return 0;
        }
        double l2 = penalised ? settings.l2() : 0;
        return -(z[i] - Math.signum(z[i]) * l1) / ((settings.beta() + Math.sqrt(n[i])) / settings.alpha() + l2);
    }

    // the same sum in the same order as LinearModel's, so that a snapshot predicts the same bits
    private double probability(double[] row) {
        double score = w[intercept];
        for (int i = 0; i < intercept; i++) {
            double value = row[i];
            score += w[i] * (Double.isNaN(value) ? 0 : value);
        }
        return 1 / (1 + Math.exp(-score));
    }

    private void check(double[] row) {
        requireNonNull(row, "row is null");
        if (row.length != intercept) {
            throw new SeerException(ServingErrorCode.INVALID_INPUT, "A row of the online model has [" + row.length
                    + "] values; it takes [" + intercept + "]: " + features, Map.of("values", row.length));
        }
        for (int i = 0; i < row.length; i++) {
            if (Double.isInfinite(row[i])) {
                throw new SeerException(ServingErrorCode.INVALID_INPUT, "Feature [" + features.get(i) + "] is ["
                        + row[i] + "]; an online model takes finite numbers, or NaN for missing",
                        Map.of("feature", features.get(i)));
            }
        }
    }

    private static SeerException corrupt(String what) {
        return new SeerException(CoreErrorCode.UNSUPPORTED_FORMAT, "The saved online model " + what,
                Map.of("kind", "online_logistic"));
    }
}
