package dev.seer.serving.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.seer.core.SeerException;
import dev.seer.metadata.MetadataDatabase;
import dev.seer.models.OutputKind;
import dev.seer.serving.MetadataBackend;
import dev.seer.serving.ServingErrorCode;
import dev.seer.serving.feedback.LiveMetrics.ArmMetrics;
import dev.seer.serving.feedback.LiveMetrics.Estimate;
import dev.seer.serving.feedback.LiveMetrics.Window;
import dev.seer.serving.feedback.LoggedPredictions.Logged;
import dev.seer.testing.MutableClock;
import dev.seer.training.metrics.Metric;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Live metrics against scikit-learn 1.2.1. The reference numbers below were produced with
 * /usr/bin/python3 (scikit-learn 1.2.1, numpy 1.24.2, scipy 1.10.1, statsmodels 0.13.5) by:
 *
 * <pre>
 * import numpy as np
 * from sklearn.metrics import roc_auc_score, log_loss, accuracy_score, brier_score_loss, mean_squared_error, mean_absolute_error
 * from statsmodels.stats.proportion import proportion_confint
 * from scipy.stats import norm
 * z = norm.ppf(0.975)
 * y = np.array([1,0,1,1,0,0,1,0,1,0,1,1,0,0,0,1,0,1,0,0])
 * p = np.array([0.9,0.2,0.7,0.4,0.4,0.1,0.8,0.6,0.55,0.3,0.95,0.4,0.05,0.5,0.2,0.65,0.35,0.3,0.45,0.15])
 * auc = roc_auc_score(y, p); ll = log_loss(y, p); acc = accuracy_score(y, (p > 0.5).astype(int)); br = brier_score_loss(y, p)
 * def normal(v, losses): h = z*losses.std(ddof=1)/np.sqrt(len(losses)); return (max(0, v-h), v+h)
 * n1 = y.sum(); n0 = len(y)-n1; q1 = auc/(2-auc); q2 = 2*auc**2/(1+auc)
 * se = np.sqrt((auc*(1-auc)+(n1-1)*(q1-auc**2)+(n0-1)*(q2-auc**2))/(n1*n0))
 * print("auc", repr(auc), repr(auc-z*se), repr(min(1, auc+z*se)))
 * print("log_loss", repr(ll), normal(ll, -(y*np.log(p)+(1-y)*np.log(1-p))))
 * print("accuracy", repr(acc), proportion_confint(int(round(acc*len(y))), len(y), alpha=0.05, method='wilson'))
 * print("brier", repr(br), normal(br, (y-p)**2))
 * t = np.array([3.0, -1.5, 2.2, 0.0, 7.5, 4.4, 1.1, -2.0, 5.5, 3.3])
 * f = np.array([2.5, -1.0, 2.0, 0.5, 6.0, 4.0, 1.5, -2.5, 5.0, 4.0])
 * rmse = mean_squared_error(t, f, squared=False); mae = mean_absolute_error(t, f)
 * lo, hi = normal(rmse**2, (t-f)**2)
 * print("rmse", repr(rmse), repr(np.sqrt(lo)), repr(np.sqrt(hi)))
 * print("mae", repr(mae), normal(mae, np.abs(t-f)))
 * ym = np.array([0, 2, 1, 1, 0, 2, 2, 1])
 * P = np.array([[0.7,0.2,0.1],[0.1,0.3,0.6],[0.2,0.5,0.3],[0.4,0.4,0.2],[0.5,0.25,0.25],[0.3,0.3,0.4],[0.6,0.1,0.3],[0.1,0.8,0.1]])
 * macc = accuracy_score(ym, P.argmax(axis=1)); mll = log_loss(ym, P, labels=[0,1,2])
 * print("m_accuracy", repr(macc), proportion_confint(int(round(macc*len(ym))), len(ym), alpha=0.05, method='wilson'))
 * print("m_log_loss", repr(mll), normal(mll, -np.log(P[np.arange(len(ym)), ym])))
 * </pre>
 *
 * The Hanley–McNeil and normal intervals are the same formulas written again in numpy, so they
 * check the Java arithmetic; Wilson's comes from statsmodels, an independent implementation.
 */
class LiveMetricsTest {
    static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");
    static final double[] LABELS = {1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 0};
    static final double[] P1 = {0.9, 0.2, 0.7, 0.4, 0.4, 0.1, 0.8, 0.6, 0.55, 0.3, 0.95, 0.4, 0.05, 0.5, 0.2, 0.65, 0.35,
        0.3, 0.45, 0.15};
    static final double[] TRUTH = {3.0, -1.5, 2.2, 0.0, 7.5, 4.4, 1.1, -2.0, 5.5, 3.3};
    static final double[] PREDICTED = {2.5, -1.0, 2.0, 0.5, 6.0, 4.0, 1.5, -2.5, 5.0, 4.0};
    static final double[] CLASSES = {0, 2, 1, 1, 0, 2, 2, 1};
    static final double[][] PROBABILITIES = {{0.7, 0.2, 0.1}, {0.1, 0.3, 0.6}, {0.2, 0.5, 0.3}, {0.4, 0.4, 0.2},
        {0.5, 0.25, 0.25}, {0.3, 0.3, 0.4}, {0.6, 0.1, 0.3}, {0.1, 0.8, 0.1}};

    abstract static class Cases extends MetadataBackend {
        MutableClock clock = new MutableClock(T0.plus(Duration.ofDays(10)));
        FakeLog log = new FakeLog();
        FeedbackStore store;
        LiveMetrics metrics;

        Cases(Kind kind) {
            super(kind);
        }

        @BeforeEach
        void open() {
            MetadataDatabase database = openDatabase();
            store = new FeedbackStore(database, log, new FeedbackStoreTest.Audited(), clock);
            metrics = new LiveMetrics(store);
        }

        /** Logs a prediction at {@code time} and records its outcome a day later. */
        void labelled(String deployment, String arm, Instant time, OutputKind kind, double outcome, double... output) {
            Logged p = log.add(Map.of("customer_id", time.toString()), deployment, arm, time, kind, output);
            store.record(Feedback.forPrediction(p.id(), outcome, time.plus(Duration.ofDays(1)), "api"), "alice");
        }

        static void assertEstimate(Estimate estimate, double value, double low, double high) {
            assertThat(estimate.value()).isCloseTo(value, within(1e-12));
            assertThat(estimate.low()).isCloseTo(low, within(1e-9));
            assertThat(estimate.high()).isCloseTo(high, within(1e-9));
        }

        @Test
        void binaryMetricsAndIntervalsMatchScikitLearn() {
            for (int i = 0; i < LABELS.length; i++) {
                labelled("churn", "champion", T0.plusSeconds(i), OutputKind.PROBABILITY, LABELS[i], P1[i]);
            }
            labelled("churn", "challenger", T0.plusSeconds(5), OutputKind.PROBABILITY, 1, 0.7);

            Window window = metrics.window("churn", T0, T0.plus(Duration.ofHours(1)));

            assertThat(window.arms()).extracting(ArmMetrics::arm).containsExactly("challenger", "champion");
            ArmMetrics champion = window.arms().get(1);
            assertThat(champion.count()).isEqualTo(20);
            assertThat(champion.kind()).isEqualTo(OutputKind.PROBABILITY);
            assertThat(champion.models()).containsExactly("churn:3");
            assertThat(champion.metrics()).containsOnlyKeys(Metric.ROC_AUC, Metric.LOG_LOSS, Metric.ACCURACY, Metric.BRIER);
            assertEstimate(champion.metrics().get(Metric.ROC_AUC), 0.8636363636363636, 0.6900464323439318, 1.0);
            assertEstimate(champion.metrics().get(Metric.LOG_LOSS), 0.45363323646895537, 0.3066288735003888, 0.6006375994375219);
            assertEstimate(champion.metrics().get(Metric.ACCURACY), 0.8, 0.5839825677481064, 0.919342337420202);
            assertEstimate(champion.metrics().get(Metric.BRIER), 0.148875, 0.08469447287884319, 0.21305552712115683);
            ArmMetrics challenger = window.arms().get(0);
            assertThat(challenger.count()).isEqualTo(1);
            assertThat(challenger.metrics().get(Metric.ROC_AUC).value()).isNaN(); // one class: undefined, as in sklearn
            assertThat(challenger.metrics().get(Metric.LOG_LOSS).low()).isNaN(); // one outcome: no spread to estimate
        }

        @Test
        void regressionAndMulticlassMetricsMatchScikitLearn() {
            for (int i = 0; i < TRUTH.length; i++) {
                labelled("price", "champion", T0.plusSeconds(i), OutputKind.VALUE, TRUTH[i], PREDICTED[i]);
            }
            for (int i = 0; i < CLASSES.length; i++) {
                labelled("tier", "champion", T0.plusSeconds(i), OutputKind.CLASS_PROBABILITIES, CLASSES[i], PROBABILITIES[i]);
            }

            ArmMetrics price = metrics.window("price", T0, T0.plusSeconds(60)).arms().get(0);
            ArmMetrics tier = metrics.window("tier", T0, T0.plusSeconds(60)).arms().get(0);

            assertThat(price.metrics()).containsOnlyKeys(Metric.RMSE, Metric.MAE);
            assertEstimate(price.metrics().get(Metric.RMSE), 0.659545297913646, 0.1831886975201337, 0.914571976992996);
            assertEstimate(price.metrics().get(Metric.MAE), 0.5700000000000001, 0.3532193591673261, 0.7867806408326741);
            assertThat(tier.metrics()).containsOnlyKeys(Metric.ACCURACY, Metric.LOG_LOSS);
            assertEstimate(tier.metrics().get(Metric.ACCURACY), 0.75, 0.40927543031016883, 0.9285207872478909);
            assertEstimate(tier.metrics().get(Metric.LOG_LOSS), 0.6891865935266337, 0.46575291830877513, 0.9126202687444922);
        }

        @Test
        void hourlyBucketsAreAlignedCutToTheRangeAndKeepEmptyHours() {
            Instant start = T0.plus(Duration.ofMinutes(30)); // 09:30
            labelled("churn", "champion", T0.plus(Duration.ofMinutes(40)), OutputKind.PROBABILITY, 1, 0.8);
            labelled("churn", "champion", T0.plus(Duration.ofMinutes(50)), OutputKind.PROBABILITY, 0, 0.3);
            labelled("churn", "challenger", T0.plus(Duration.ofMinutes(70)), OutputKind.PROBABILITY, 0, 0.6);
            labelled("churn", "champion", T0.plus(Duration.ofMinutes(190)), OutputKind.PROBABILITY, 1, 0.4);
            labelled("churn", "champion", T0.plus(Duration.ofMinutes(20)), OutputKind.PROBABILITY, 1, 0.9); // before the range

            List<Window> hours = metrics.buckets("churn", start, T0.plus(Duration.ofMinutes(200)), Duration.ofHours(1));

            assertThat(hours).extracting(Window::from).containsExactly(start, T0.plus(Duration.ofHours(1)),
                    T0.plus(Duration.ofHours(2)), T0.plus(Duration.ofHours(3)));
            assertThat(hours.get(3).to()).isEqualTo(T0.plus(Duration.ofMinutes(200)));
            assertThat(hours.get(0).arms()).singleElement().satisfies(a -> {
                assertThat(a.arm()).isEqualTo("champion");
                assertThat(a.count()).isEqualTo(2);
                assertThat(a.metrics().get(Metric.ACCURACY).value()).isEqualTo(1.0);
                assertThat(a.metrics().get(Metric.ROC_AUC).value()).isEqualTo(1.0);
            });
            assertThat(hours.get(1).arms()).singleElement().satisfies(a -> assertThat(a.arm()).isEqualTo("challenger"));
            assertThat(hours.get(2).arms()).isEmpty();
            assertThat(hours.get(3).arms()).singleElement().satisfies(a ->
                    assertThat(a.metrics().get(Metric.ACCURACY).value()).isEqualTo(0.0));
            assertThatThrownBy(() -> metrics.buckets("churn", T0, T0.plus(Duration.ofDays(1000)), Duration.ofHours(1)))
                    .hasMessageContaining("buckets; at most")
                    .satisfies(e -> assertThat(((SeerException) e).errorCode()).isEqualTo(ServingErrorCode.INVALID_FEEDBACK));
            assertThatThrownBy(() -> metrics.buckets("churn", T0, T0.plusSeconds(1), Duration.ofNanos(10)))
                    .hasMessageContaining("at least a millisecond")
                    .satisfies(e -> assertThat(((SeerException) e).errorCode()).isEqualTo(ServingErrorCode.INVALID_FEEDBACK));
        }
    }

    @Nested
    class OnSqlite extends Cases {
        OnSqlite() {
            super(Kind.SQLITE);
        }
    }

    @Nested
    class OnPostgres extends Cases {
        OnPostgres() {
            super(Kind.POSTGRESQL);
        }
    }
}
