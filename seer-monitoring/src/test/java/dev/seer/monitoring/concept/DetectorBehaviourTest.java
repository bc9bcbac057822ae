package dev.seer.monitoring.concept;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.seer.core.SeerException;
import dev.seer.monitoring.MonitoringErrorCode;
import dev.seer.monitoring.concept.DriftDetector.State;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** What the detectors promise on streams with and without a change, and their byte form. */
class DetectorBehaviourTest {
    private static final int SEEDS = 50;

    private static double bernoulli(SplittableRandom random, double p) {
        return random.nextDouble() < p ? 1.0 : 0.0;
    }

    @Test
    void adwinStaysQuietOnAStationaryStream() {
        // Observed: 0 of 50 seeds give any detection in 100,000 Bernoulli(0.2) errors at delta
        // 0.002. The bound leaves room for an unlucky seed, not for a systematic false alarm.
        int seedsWithDetection = 0;
        for (int seed = 0; seed < SEEDS; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            Adwin adwin = new Adwin();
            for (int i = 0; i < 100_000; i++) {
                adwin.update(bernoulli(random, 0.2));
            }
            seedsWithDetection += adwin.detections() > 0 ? 1 : 0;
            assertThat(adwin.mean()).isCloseTo(0.2, offset(0.01));
        }
        assertThat(seedsWithDetection).isLessThanOrEqualTo(2);
    }

    @Test
    void adwinDetectsAnAbruptRiseWithinAStatedDelay() {
        // 5,000 errors at 0.2, then 0.5. Observed over 50 seeds: mean delay 86 values, max 151.
        long sum = 0;
        for (int seed = 0; seed < SEEDS; seed++) {
            SplittableRandom random = new SplittableRandom(1000 + seed);
            Adwin adwin = new Adwin();
            for (int i = 0; i < 5000; i++) {
                adwin.update(bernoulli(random, 0.2));
            }
            int delay = firstDrift(adwin, random, 0.5, 5000);
            assertThat(delay).as("seed %d", seed).isBetween(0, 300);
            sum += delay;
            // after the drift the window restarts on the new concept
            for (int i = 0; i < 2000; i++) {
                adwin.update(bernoulli(random, 0.5));
            }
            assertThat(adwin.mean()).isCloseTo(0.5, offset(0.06));
        }
        assertThat(sum / (double) SEEDS).isLessThan(150);
    }

    @Test
    void ddmDetectsAnAbruptRiseWithinAStatedDelay() {
        // DDM compares against the best error rate seen, so it is slower than ADWIN and, early
        // in a stream, less sure: observed over 50 seeds, mean delay 609 values, max 2,194, and
        // 10 of 50 seeds give a false drift within the first 5,000 stationary values.
        long sum = 0;
        for (int seed = 0; seed < SEEDS; seed++) {
            SplittableRandom random = new SplittableRandom(1000 + seed);
            Ddm ddm = new Ddm();
            for (int i = 0; i < 5000; i++) {
                ddm.update(bernoulli(random, 0.2));
            }
            int delay = firstDrift(ddm, random, 0.5, 5000);
            assertThat(delay).as("seed %d", seed).isBetween(0, 3000);
            sum += delay;
        }
        assertThat(sum / (double) SEEDS).isLessThan(1000);
    }

    @Test
    void ddmWarnsBeforeItDrifts() {
        Ddm ddm = new Ddm();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 3000; i++) {
            ddm.update(bernoulli(random, 0.1));
        }
        boolean warned = false;
        State state = State.STABLE;
        while (state != State.DRIFT) {
            state = ddm.update(bernoulli(random, 0.4));
            warned |= state == State.WARNING;
        }
        assertThat(warned).isTrue();
        assertThat(ddm.count()).isGreaterThan(3000);
        ddm.update(1.0);
        assertThat(ddm.count()).as("reset after the drift").isEqualTo(1);
        assertThat(ddm.state()).isEqualTo(State.STABLE);
    }

    private static int firstDrift(DriftDetector detector, SplittableRandom random, double p, int limit) {
        for (int i = 0; i < limit; i++) {
            if (detector.update(bernoulli(random, p)) == State.DRIFT) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void adwinWindowMatchesRiversSmallCases() {
        Adwin adwin = new Adwin();
        for (int v = 1; v <= 5; v++) {
            adwin.update(v);
        }
        assertThat(adwin.width()).isEqualTo(5);
        assertThat(adwin.total()).isEqualTo(15.0);
        assertThat(adwin.mean()).isEqualTo(3.0);
        assertThat(adwin.sumOfSquares()).isEqualTo(10.0);
        assertThat(adwin.variance()).isEqualTo(2.0);

        Adwin constant = new Adwin();
        for (int i = 0; i < 5000; i++) {
            assertThat(constant.update(1.0)).isEqualTo(State.STABLE);
        }
        assertThat(constant.width()).isEqualTo(5000);

        Adwin rare = new Adwin(0.002, 1_000_000, 5, 5, 10);
        double sum = 0;
        for (int i = 0; i < 200; i++) {
            rare.update(i % 7);
            sum += i % 7;
        }
        assertThat(rare.width()).isEqualTo(200);
        assertThat(rare.total()).isEqualTo(sum);
        assertThat(rare.sumOfSquares()).isCloseTo(797.82, offset(1e-9));
    }

    @Test
    void adwinRespectsItsGracePeriod() {
        Adwin adwin = new Adwin(0.002, 1, 5, 5, 100);
        for (int i = 0; i < 50; i++) {
            adwin.update(0);
        }
        for (int i = 0; i < 50; i++) {
            assertThat(adwin.update(1000)).isEqualTo(State.STABLE);
        }
    }

    @Test
    void adwinStartsAnEmptyWindowAfterADrift() {
        Adwin adwin = new Adwin();
        int i = 0;
        while (adwin.update(i < 1000 ? 0.0 : 1.0) != State.DRIFT) {
            i++;
        }
        assertThat(i).isEqualTo(1023);
        adwin.update(1.0);
        assertThat(adwin.width()).isEqualTo(1);
        assertThat(adwin.detections()).isEqualTo(1);
    }

    @Test
    void adwinStateRoundTripsAndContinuesIdentically() {
        roundTrip(Adwin::new, random -> bernoulliStep(random), 3000);
        roundTrip(Adwin::new, random -> bernoulliStep(random), 6017);
    }

    @Test
    void ddmStateRoundTripsAndContinuesIdentically() {
        roundTrip(Ddm::new, random -> bernoulliStep(random), 20);
        roundTrip(Ddm::new, random -> bernoulliStep(random), 4000);
    }

    private static double[] bernoulliStep(SplittableRandom random) {
        double[] values = new double[12_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = bernoulli(random, i < 3000 ? 0.1 : i < 6000 ? 0.4 : i < 9000 ? 0.15 : 0.6);
        }
        return values;
    }

    private static void roundTrip(
            Supplier<DriftDetector> factory, Function<SplittableRandom, double[]> stream, int cut) {
        double[] values = stream.apply(new SplittableRandom(42));
        DriftDetector original = factory.get();
        for (int i = 0; i < cut; i++) {
            original.update(values[i]);
        }
        byte[] bytes = original.toBytes();
        DriftDetector copy = DriftDetector.fromBytes(bytes);
        assertThat(copy).isInstanceOf(original.getClass());
        assertThat(copy.toBytes()).isEqualTo(bytes);
        assertThat(copy.state()).isEqualTo(original.state());
        for (int i = cut; i < values.length; i++) {
            assertThat(copy.update(values[i])).as("value %d", i).isEqualTo(original.update(values[i]));
        }
        assertThat(copy.detections()).isEqualTo(original.detections()).isPositive();
        assertThat(copy.toBytes()).isEqualTo(original.toBytes());
    }

    @Test
    void badBytesAreCorruptState() {
        Adwin adwin = new Adwin();
        for (int i = 0; i < 700; i++) {
            adwin.update(i % 3 == 0 ? 1 : 0);
        }
        byte[] good = adwin.toBytes();
        assertCorrupt(new byte[0]);
        assertCorrupt(null);
        assertCorrupt("not a detector".getBytes(UTF_8));
        assertCorrupt(Arrays.copyOf(good, good.length - 1));
        assertCorrupt(Arrays.copyOf(good, good.length + 1));
        byte[] version = good.clone();
        version[2] = 9;
        assertCorrupt(version);
        byte[] kind = good.clone();
        kind[3] = 7;
        assertCorrupt(kind);
        byte[] delta = good.clone();
        Arrays.fill(delta, 4, 12, (byte) 0x7f); // delta becomes NaN
        assertCorrupt(delta);
        byte[] ddm = new Ddm().toBytes();
        assertCorrupt(Arrays.copyOf(ddm, 20));

        // flipping any one byte either still reads as a consistent detector or is CORRUPT_STATE
        for (int i = 0; i < good.length; i++) {
            byte[] flipped = good.clone();
            flipped[i] ^= (byte) 0x5a;
            try {
                DriftDetector.fromBytes(flipped);
            } catch (SeerException e) {
                assertThat(e.errorCode()).as("byte %d", i).isEqualTo(MonitoringErrorCode.CORRUPT_STATE);
            }
        }
    }

    private static void assertCorrupt(byte[] bytes) {
        assertThatThrownBy(() -> DriftDetector.fromBytes(bytes))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(MonitoringErrorCode.CORRUPT_STATE));
    }

    @Test
    void badInputIsInvalidArgument() {
        assertInvalid(() -> new Ddm().update(0.5));
        assertInvalid(() -> new Adwin().update(Double.NaN));
        assertInvalid(() -> new Adwin(0.0));
        assertInvalid(() -> new Adwin(0.002, 0, 5, 5, 10));
        assertInvalid(() -> new Ddm(30, 3.0, 2.0));
        assertInvalid(() -> new Ddm(-1, 2.0, 3.0));
    }

    private static void assertInvalid(Runnable action) {
        assertThatThrownBy(action::run)
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(MonitoringErrorCode.INVALID_ARGUMENT));
    }
}
