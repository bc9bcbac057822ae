package dev.seer.serving.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;

import dev.seer.core.schema.Column;
import dev.seer.core.schema.ColumnType;
import dev.seer.core.schema.Schema;
import dev.seer.models.LinearModel;
import dev.seer.models.Model;
import dev.seer.models.ModelFormat;
import dev.seer.models.Models;
import dev.seer.models.OutputKind;
import dev.seer.models.Signature;
import dev.seer.serving.ServingErrorCode;
import dev.seer.training.linear.LinearOptions;
import dev.seer.training.linear.LogisticRegression;
import dev.seer.training.metrics.Metric;
import dev.seer.training.metrics.Scored;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class FtrlProximalTest {
    @Test
    void oneUpdateEqualsAlgorithmOneByHand() {
        // α = 0.5, β = 1, λ1 = 0.2, λ2 = 1; row (2, 0.1), label 1, all weights 0 so p = 1/2.
        // x0: g = −1, σ = (√1 − 0)/0.5 = 2, z = −1, n = 1, w = (1 − 0.2)/((1 + 1)/0.5 + 1) = 0.16
        // x1: g = −0.05, z = −0.05, |z| ≤ λ1, so w = 0
        // intercept (no penalty): g = −0.5, z = −0.5, n = 0.25, w = 0.5/((1 + 0.5)/0.5) = 1/6
        FtrlProximal model = new FtrlProximal(List.of("a", "b"), new FtrlSettings(0.5, 1, 0.2, 1));
        model.update(new double[] {2, 0.1}, 1);
        LinearModel snapshot = model.snapshot();
        assertThat(snapshot.weights()).containsExactly(new double[] {0.16, 0}, within(1e-15));
        assertThat(snapshot.intercept()).isCloseTo(1.0 / 6, within(1e-15));
        assertThat(model.predict(new double[] {1, 1})).isCloseTo(1 / (1 + Math.exp(-(0.16 + 1.0 / 6))),
                within(1e-15));
        assertThat(model.updates()).isEqualTo(1);
    }

    @Test
    void onStationaryDataItsAucIsWithinOneHundredthOfBatchLogisticRegression() {
        LogisticStream stream = new LogisticStream(11);
        int trainRows = 50_000;
        int testRows = 20_000;
        double[][] x = new double[trainRows][];
        double[] y = new double[trainRows];
        for (int i = 0; i < trainRows; i++) {
            x[i] = stream.row();
            y[i] = stream.label(stream.probability(x[i]));
        }
        double[][] testX = new double[testRows][];
        double[] testY = new double[testRows];
        double[] truth = new double[testRows];
        for (int i = 0; i < testRows; i++) {
            testX[i] = stream.row();
            truth[i] = stream.probability(testX[i]);
            testY[i] = stream.label(truth[i]);
        }
        FtrlProximal online = new FtrlProximal(LogisticStream.FEATURES, FtrlSettings.defaults());
        for (int i = 0; i < trainRows; i++) {
            online.update(x[i], y[i]);
        }
        LinearModel batch = LogisticRegression.fit(LogisticStream.FEATURES, x, y, null, LinearOptions.defaults());
        double onlineAuc = auc(testY, Arrays.stream(testX).mapToDouble(online::predict).toArray());
        double batchAuc = auc(testY, predict(batch, testX));
        double truthAuc = auc(testY, truth);
        // measured (seed 11): online 0.90514, batch 0.90543, the true probabilities 0.90550
        assertThat(batchAuc).isCloseTo(truthAuc, within(0.005));
        assertThat(onlineAuc).isCloseTo(batchAuc, within(0.01));
    }

    @Test
    void afterAnAbruptChangeTheRollingAucRecoversWhileAFrozenModelStaysPoor() {
        // 30,000 rows of the truth, then the largest coefficient (-1.5) changes sign for 40,000 more. Each row is
        // predicted before it is learnt from (prequential), and AUC is taken over windows of 2,000 rows against
        // the AUC of the true probabilities on the same window. Measured (seed 13): the first window after the
        // change falls from 0.907 to 0.675 (truth 0.912), the live model is back within 0.011 of the truth after
        // 12,000 rows and within 0.01 from 14,000 on; the frozen copy stays near 0.62.
        LogisticStream stream = new LogisticStream(13);
        int window = 2000;
        int before = 30_000;
        int after = 40_000;
        int recovery = 16_000;
        FtrlProximal live = new FtrlProximal(LogisticStream.FEATURES, FtrlSettings.defaults());
        FtrlProximal frozen = null;
        double[] labels = new double[window];
        double[] liveP = new double[window];
        double[] frozenP = new double[window];
        double[] truthP = new double[window];
        for (int i = 0; i < before + after; i++) {
            if (i == before) {
                frozen = FtrlProximal.restore(live.save());
                stream.flip();
            }
            double[] x = stream.row();
            int k = i % window;
            truthP[k] = stream.probability(x);
            labels[k] = stream.label(truthP[k]);
            liveP[k] = live.predict(x);
            frozenP[k] = frozen == null ? liveP[k] : frozen.predict(x);
            live.update(x, labels[k]);
            if (k != window - 1) {
                continue;
            }
            int rows = i + 1;
            double truth = auc(labels, truthP);
            double liveAuc = auc(labels, liveP);
            String at = "window ending at row " + rows;
            if (rows == before) {
                assertThat(liveAuc).as(at).isCloseTo(truth, within(0.01));
            } else if (rows == before + window) {
                assertThat(liveAuc).as(at).isLessThan(truth - 0.1);
            } else if (rows >= before + recovery) {
                assertThat(liveAuc).as(at).isCloseTo(truth, within(0.01));
            }
            if (rows > before) {
                assertThat(auc(labels, frozenP)).as(at).isLessThan(truth - 0.2);
            }
        }
    }

    @Test
    void aSnapshotRegisteredAsASeerLinearModelPredictsExactlyWhatTheLiveModelDoes() {
        LogisticStream stream = new LogisticStream(5);
        FtrlProximal model = new FtrlProximal(LogisticStream.FEATURES, new FtrlSettings(0.2, 1, 0.5, 2));
        for (int i = 0; i < 5000; i++) {
            double[] x = stream.row();
            if (i % 7 == 0) {
                x[i % 10] = Double.NaN;
            }
            model.update(x, stream.label(stream.probability(x)));
        }
        double[][] rows = new double[1000][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = stream.row();
            if (i % 3 == 0) {
                rows[i][i % 10] = Double.NaN;
            }
        }
        LinearModel snapshot = model.snapshot();
        assertThat(model.signature()).isEqualTo(signature());
        assertThat(LinearModel.CODEC.decode(LinearModel.CODEC.encode(snapshot))).isEqualTo(snapshot);
        double[] registered = predict(snapshot, rows);
        for (int i = 0; i < rows.length; i++) {
            assertThat(registered[i]).as("row %d", i).isEqualTo(model.predict(rows[i]));
        }
    }

    @Test
    void aRestoredModelContinuesBitForBitAsOneThatNeverStopped() {
        LogisticStream stream = new LogisticStream(9);
        FtrlProximal original = new FtrlProximal(LogisticStream.FEATURES, new FtrlSettings(0.3, 1, 0.1, 1));
        for (int i = 0; i < 3000; i++) {
            double[] x = stream.row();
            original.update(x, stream.label(stream.probability(x)));
        }
        byte[] saved = original.save();
        FtrlProximal restored = FtrlProximal.restore(saved);
        assertThat(restored.save()).isEqualTo(saved);
        assertThat(restored.settings()).isEqualTo(original.settings());
        assertThat(restored.features()).isEqualTo(LogisticStream.FEATURES);
        for (int i = 0; i < 3000; i++) {
            double[] x = stream.row();
            double y = stream.label(stream.probability(x));
            original.update(x, y);
            restored.update(x, y);
        }
        assertThat(restored.updates()).isEqualTo(6000);
        assertThat(restored.snapshot()).isEqualTo(original.snapshot());
        assertThat(restored.save()).isEqualTo(original.save());
    }

    @Test
    void damagedOrForeignStateIsRefused() {
        FtrlProximal model = new FtrlProximal(List.of("a"), FtrlSettings.defaults());
        model.update(new double[] {1}, 1);
        byte[] saved = model.save();
        byte[] flipped = saved.clone();
        flipped[30] ^= 1;
        assertThatThrownBy(() -> FtrlProximal.restore(flipped)).isInstanceOfSatisfying(SeerException.class,
                e -> assertThat(e.errorCode()).isEqualTo(CoreErrorCode.UNSUPPORTED_FORMAT))
                .hasMessage("The saved online model fails its checksum: it was damaged or cut");
        assertThatThrownBy(() -> FtrlProximal.restore(Arrays.copyOf(saved, saved.length - 9)))
                .hasMessageContaining("checksum");
        byte[] newer = saved.clone();
        newer[7] = 2;
        assertThatThrownBy(() -> FtrlProximal.restore(newer))
                .hasMessage("The saved online model has version [2]; this Seer reads version [1]");
        assertThatThrownBy(() -> FtrlProximal.restore("{\"kind\": \"seer-linear\"}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("mark");
        assertThatThrownBy(() -> FtrlProximal.restore(new byte[3])).hasMessageContaining("[3] bytes");
    }

    @Test
    void badRowsLabelsAndSettingsAreRefusedNamingThem() {
        FtrlProximal model = new FtrlProximal(List.of("age", "income"), FtrlSettings.defaults());
        assertThatThrownBy(() -> model.predict(new double[] {1})).isInstanceOfSatisfying(SeerException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ServingErrorCode.INVALID_INPUT))
                .hasMessage("A row of the online model has [1] values; it takes [2]: [age, income]");
        assertThatThrownBy(() -> model.update(new double[] {1, Double.POSITIVE_INFINITY}, 1))
                .hasMessage("Feature [income] is [Infinity]; an online model takes finite numbers, or NaN for missing");
        assertThatThrownBy(() -> model.update(new double[] {1, 2}, 0.5)).isInstanceOfSatisfying(SeerException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ServingErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("[0.5]");
        assertThat(model.updates()).isZero();
        assertThatThrownBy(() -> new FtrlSettings(0, 1, 0, 0)).hasMessageContaining("[alpha]");
        assertThatThrownBy(() -> new FtrlSettings(0.1, 1, -1, 0)).hasMessageContaining("[l1]");
        assertThatThrownBy(() -> new FtrlProximal(List.of("a", "a"), FtrlSettings.defaults()))
                .hasMessageContaining("each named once");
    }

    @Test
    void aMissingValueNeitherScoresNorLearns() {
        FtrlProximal model = new FtrlProximal(List.of("a", "b"), FtrlSettings.defaults());
        model.update(new double[] {Double.NaN, 1}, 1);
        assertThat(model.snapshot().weights()[0]).isZero();
        assertThat(model.predict(new double[] {Double.NaN, 1})).isEqualTo(model.predict(new double[] {0, 1}));
    }

    @Test
    void concurrentUpdatesAreAllCountedAndPredictionsStayProbabilities() throws Exception {
        FtrlProximal model = new FtrlProximal(LogisticStream.FEATURES, FtrlSettings.defaults());
        int threads = 4;
        int each = 5000;
        List<Thread> workers = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int t = 0; t < threads; t++) {
            LogisticStream stream = new LogisticStream(100 + t);
            Thread worker = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    double[] x = stream.row();
                    model.update(x, stream.label(stream.probability(x)));
                    double p = model.predict(stream.row());
                    if (!(p > 0 && p < 1)) {
                        failure.compareAndSet(null, new AssertionError("prediction " + p));
                    }
                }
            });
            worker.setUncaughtExceptionHandler((thread, e) -> failure.compareAndSet(null, e));
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        assertThat(failure.get()).isNull();
        assertThat(model.updates()).isEqualTo((long) threads * each);
        assertThat(FtrlProximal.restore(model.save()).snapshot()).isEqualTo(model.snapshot());
    }

    static double auc(double[] labels, double[] scores) {
        return Metric.ROC_AUC.value(Scored.binary(labels, scores));
    }

    static Signature signature() {
        return Signature.of(Schema.of(LogisticStream.FEATURES.stream()
                .map(name -> new Column(name, ColumnType.FLOAT64, true)).toList()), OutputKind.PROBABILITY);
    }

    /** P(1) of each row by seer-models' loader, as a registered version would predict. */
    static double[] predict(LinearModel linear, double[][] rows) {
        try (Model model = Models.load(ModelFormat.SEER_LINEAR, linear.toBytes(), signature())) {
            return Arrays.stream(model.predict(rows)).mapToDouble(p -> p[0]).toArray();
        }
    }
}
