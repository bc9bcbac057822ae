package dev.seer.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.seer.core.SeerException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackgroundSummaryTest {
    @Test
    void theWeightsAreClusterSizesSummingToTheRowCount() {
        double[][] data = KernelShapTest.gaussian(new Random(1), 237, 4);
        BackgroundSummary summary = BackgroundSummary.kmeans(data, 10, 7);
        assertThat(summary.size()).isEqualTo(10);
        assertThat(Arrays.stream(summary.weights()).sum()).isEqualTo(237.0);
        assertThat(Arrays.stream(summary.weights()).min().orElseThrow()).isGreaterThan(0);
    }

    @Test
    void oneClusterIsTheMeanOrSnappedTheNearestRealValuePerColumn() {
        double[][] data = KernelShapTest.gaussian(new Random(2), 50, 3);
        data[4][1] = Double.NaN;
        double[] mean = new double[3];
        for (int j = 0; j < 3; j++) {
            int col = j;
            mean[j] = Arrays.stream(data).mapToDouble(r -> r[col]).filter(v -> !Double.isNaN(v)).average().orElseThrow();
        }
        BackgroundSummary raw = BackgroundSummary.kmeans(data, 1, 3, false);
        assertThat(raw.rows()[0]).containsExactly(mean, within(1e-12));
        assertThat(raw.weights()).containsExactly(50.0);
        double[] snapped = BackgroundSummary.kmeans(data, 1, 3).rows()[0];
        for (int j = 0; j < 3; j++) {
            int col = j;
            double nearest = Arrays.stream(data).mapToDouble(r -> Double.isNaN(r[col]) ? mean[col] : r[col])
                    .boxed().min((a, b) -> Double.compare(Math.abs(a - mean[col]), Math.abs(b - mean[col]))).orElseThrow();
            assertThat(snapped[j]).isCloseTo(nearest, within(1e-12)); // column 1 snaps to its imputed mean, as shap's does
        }
    }

    @Test
    void wellSeparatedBlobsAreFoundWithTheirSizes() {
        Random random = new Random(3);
        double[][] centres = {{0, 0}, {10, 10}, {-10, 10}};
        int[] sizes = {30, 50, 20};
        double[][] data = new double[100][];
        int r = 0;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < sizes[c]; i++) {
                data[r++] = new double[] {centres[c][0] + 0.1 * random.nextGaussian(), centres[c][1] + 0.1 * random.nextGaussian()};
            }
        }
        BackgroundSummary summary = BackgroundSummary.kmeans(data, 3, 1, false);
        double[][] rows = summary.rows();
        double[] weights = summary.weights();
        for (int c = 0; c < 3; c++) {
            int found = -1;
            for (int k = 0; k < 3; k++) {
                if (Math.abs(rows[k][0] - centres[c][0]) < 0.2 && Math.abs(rows[k][1] - centres[c][1]) < 0.2) {
                    found = k;
                }
            }
            assertThat(found).as("blob %d", c).isGreaterThanOrEqualTo(0);
            assertThat(weights[found]).isEqualTo(sizes[c]);
        }
        assertThat(BackgroundSummary.kmeans(data, 3, 1, false).rows()).isDeepEqualTo(rows);
    }

    @Test
    void fewerDistinctRowsThanClustersGiveFewerCentres() {
        double[][] data = {{1, 1}, {1, 1}, {2, 2}, {2, 2}, {1, 1}};
        BackgroundSummary summary = BackgroundSummary.kmeans(data, 4, 1);
        assertThat(summary.size()).isEqualTo(2);
        assertThat(Arrays.stream(summary.weights()).sum()).isEqualTo(5.0);
    }

    @Test
    void aBadKOrBackgroundIsRefusedNamingTheField() {
        double[][] data = {{1, 2}, {3, 4}};
        assertThatThrownBy(() -> BackgroundSummary.kmeans(data, 3, 1)).isInstanceOf(SeerException.class)
                .satisfies(e -> assertThat(((SeerException) e).details()).containsEntry("field", "k"));
        assertThatThrownBy(() -> BackgroundSummary.kmeans(data, 0, 1)).isInstanceOf(SeerException.class);
        assertThatThrownBy(() -> BackgroundSummary.kmeans(new double[0][], 1, 1)).isInstanceOf(SeerException.class)
                .satisfies(e -> assertThat(((SeerException) e).details()).containsEntry("field", "background"));
        assertThatThrownBy(() -> BackgroundSummary.of(data, new double[] {0, 0})).isInstanceOf(SeerException.class)
                .hasMessageContaining("sum to 0");
    }
}
