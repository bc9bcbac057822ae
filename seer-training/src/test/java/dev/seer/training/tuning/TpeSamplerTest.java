package dev.seer.training.tuning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TpeSamplerTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void gammaIsOptunasDefaultGamma() {
        assertThat(OptunaReference.root().get("gamma").size()).isEqualTo(301);
        OptunaReference.root().get("gamma").properties().forEach(e ->
                assertThat(TpeSampler.defaultGamma(Integer.parseInt(e.getKey()))).as("n=" + e.getKey()).isEqualTo(e.getValue().asInt()));
    }

    @Test
    void weightsAreOptunasDefaultWeights() {
        assertThat(OptunaReference.root().get("weights").size()).isEqualTo(9);
        OptunaReference.root().get("weights").properties().forEach(e ->
                assertThat(TpeSampler.defaultWeights(Integer.parseInt(e.getKey())))
                        .as("n=" + e.getKey())
                        .containsExactly(OptunaReference.doubles(e.getValue()), within(1e-12)));
    }

    /**
     * On (x − 2)² over [−10, 10], TPE's trials 30–49 crowd near 2 while random ones spread evenly;
     * Seer's share near the optimum is also compared with Optuna 3.1.0's on the same task over
     * 20 seeds (about 0.37; each share is a mean of 400 correlated draws, hence the 0.1 margin).
     */
    @Test
    void concentratesNearTheOptimumAfterStartUpLikeOptuna() {
        SearchSpace space = new SearchSpace(List.of(new FloatParam("x", -10, 10, false)));
        int tpeNear = 0;
        int randomNear = 0;
        int seeds = 20;
        for (long seed = 0; seed < seeds; seed++) {
            tpeNear += near(run(space, new TpeSampler(seed)), 2.0, 1.0);
            randomNear += near(run(space, new RandomSampler(seed)), 2.0, 1.0);
        }
        double tpeShare = tpeNear / (20.0 * seeds);
        double randomShare = randomNear / (20.0 * seeds);
        // A band of width 2 holds 10 % of uniform draws.
        assertThat(randomShare).isCloseTo(0.10, within(0.04));
        assertThat(tpeShare).isGreaterThan(0.25);
        assertThat(tpeShare).isCloseTo(OptunaReference.root().get("concentration").get("share").asDouble(), within(0.1));
    }

    /** The first startupTrials trials are the random sampler's draws, whatever the history says. */
    @Test
    void startUpTrialsAreRandom() {
        SearchSpace space = mixedSpace();
        List<Trial> history = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            Map<String, Object> tpe = new TpeSampler(42).sample(space, history, k, Direction.MINIMIZE);
            assertThat(tpe).isEqualTo(new RandomSampler(42).sample(space, List.of(), k, Direction.MINIMIZE));
            history.add(complete(k, tpe, k));
        }
        Map<String, Object> eleventh = new TpeSampler(42).sample(space, history, 10, Direction.MINIMIZE);
        assertThat(eleventh).isNotEqualTo(new RandomSampler(42).sample(space, List.of(), 10, Direction.MINIMIZE));
    }

    /**
     * Floats, log floats, integers, log integers and categoricals all stay in their ranges and
     * types, and on a separable objective (optimum lr = 1e−3, depth 3, booster dart) TPE's late
     * trials pick the optimum's values more often than random trials do, in both modes.
     */
    @Test
    void respectsBoundsTypesAndChoicesAndLearnsEach() {
        // Uniform draws would give, of 100 late trials: dart 1/3, depth 3 1/8, lr within a decade
        // of 1e-3 2/5 (log10 lr uniform on [-5, 0]). TPE must beat each by half as much again.
        double[] uniform = {100 / 3.0, 100 / 8.0, 100 * 2 / 5.0};
        for (boolean multivariate : new boolean[] {false, true}) {
            int[] tpe = new int[3];
            for (long seed = 0; seed < 5; seed++) {
                int[] hits = lateHits(new TpeSampler(seed, TpeOptions.optuna310().withMultivariate(multivariate)));
                for (int i = 0; i < 3; i++) {
                    tpe[i] += hits[i];
                }
            }
            for (int i = 0; i < 3; i++) {
                assertThat((double) tpe[i]).as("multivariate=" + multivariate + " value " + i).isGreaterThan(1.5 * uniform[i]);
            }
        }
    }

    /** Trials 40–59 of 60: how many chose dart, depth 3, lr within a decade of 1e−3. */
    private static int[] lateHits(Sampler sampler) {
        List<Trial> trials = new Study(mixedSpace(), Direction.MINIMIZE, sampler, null, 1, StudyListener.NONE, CLOCK)
                .optimize(t -> mixedObjective(t.params()), 60, null);
        for (Trial t : trials) {
            assertThat((Double) t.params().get("x")).isBetween(-1.0, 1.0);
            assertThat((Double) t.params().get("lr")).isBetween(1e-5, 1.0);
            assertThat((Long) t.params().get("depth")).isBetween(1L, 8L);
            assertThat((Long) t.params().get("leaves")).isBetween(2L, 1024L);
            assertThat(t.params().get("booster")).isIn("gbtree", "dart", "linear");
        }
        List<Trial> late = trials.subList(40, 60);
        return new int[] {
            (int) late.stream().filter(t -> t.params().get("booster").equals("dart")).count(),
            (int) late.stream().filter(t -> t.params().get("depth").equals(3L)).count(),
            (int) late.stream().filter(t -> Math.abs(Math.log10((Double) t.params().get("lr")) + 3) < 1).count()
        };
    }

    /** Log scale: random draws of a log parameter on [1e−4, 1] fall below 1e−2 half the time. */
    @Test
    void logScaleIsUniformInTheLogarithm() {
        SearchSpace space = new SearchSpace(List.of(new FloatParam("lr", 1e-4, 1, true), new IntParam("n", 1, 10000, true)));
        int lrBelow = 0;
        int nBelow = 0;
        int draws = 4000;
        for (int k = 0; k < draws; k++) {
            Map<String, Object> p = new RandomSampler(1).sample(space, List.of(), k, Direction.MINIMIZE);
            lrBelow += (Double) p.get("lr") < 1e-2 ? 1 : 0;
            nBelow += (Long) p.get("n") <= 100 ? 1 : 0;
        }
        assertThat(lrBelow / (double) draws).isCloseTo(0.5, within(0.04));
        // log-uniform on [0.5, 10000.5]: P(n <= 100) = ln(100.5 / 0.5) / ln(10000.5 / 0.5) = 0.536
        assertThat(nBelow / (double) draws).isCloseTo(Math.log(100.5 / 0.5) / Math.log(10000.5 / 0.5), within(0.04));
    }

    /** Maximising is minimising the negation: the same history mirrored gives the same proposal. */
    @Test
    void maximiseMirrorsMinimise() {
        SearchSpace space = new SearchSpace(List.of(new FloatParam("x", 0, 1, false)));
        List<Trial> low = new ArrayList<>();
        List<Trial> high = new ArrayList<>();
        for (int k = 0; k < 20; k++) {
            Map<String, Object> p = new RandomSampler(5).sample(space, List.of(), k, Direction.MINIMIZE);
            double x = (Double) p.get("x");
            low.add(complete(k, p, (x - 0.3) * (x - 0.3)));
            high.add(complete(k, p, -(x - 0.3) * (x - 0.3)));
        }
        assertThat(new TpeSampler(9).sample(space, high, 20, Direction.MAXIMIZE))
                .isEqualTo(new TpeSampler(9).sample(space, low, 20, Direction.MINIMIZE));
    }

    /** Pruned trials rank after complete ones, by furthest step then value (3.1's scores). */
    @Test
    void splitRanksCompleteBeforePrunedByStep() {
        Map<String, Object> p = Map.of("x", 0.5);
        List<Trial> observed = List.of(
                pruned(0, p, Map.of(1L, -100.0)),
                complete(1, p, 5.0),
                pruned(2, p, Map.of(1L, 0.0, 4L, 1.0)),
                complete(3, p, 3.0),
                pruned(4, p, Map.of()),
                pruned(5, p, Map.of(1L, 0.0, 4L, 0.5)));
        assertThat(TpeSampler.splitBelow(observed, 2, Direction.MINIMIZE)).containsExactly(false, true, false, true, false, false);
        assertThat(TpeSampler.splitBelow(observed, 3, Direction.MINIMIZE)).containsExactly(false, true, false, true, false, true);
        assertThat(TpeSampler.splitBelow(observed, 4, Direction.MINIMIZE)).containsExactly(false, true, true, true, false, true);
        assertThat(TpeSampler.splitBelow(observed, 5, Direction.MINIMIZE)).containsExactly(true, true, true, true, false, true);
    }

    static SearchSpace mixedSpace() {
        return new SearchSpace(List.of(
                new FloatParam("x", -1, 1, false),
                new FloatParam("lr", 1e-5, 1, true),
                new IntParam("depth", 1, 8, false),
                new IntParam("leaves", 2, 1024, true),
                new CategoricalParam("booster", List.of("gbtree", "dart", "linear"))));
    }

    static double mixedObjective(Map<String, Object> p) {
        double lr = Math.log10((Double) p.get("lr")) + 3;
        double depth = (Long) p.get("depth") - 3;
        double x = (Double) p.get("x");
        double booster = p.get("booster").equals("dart") ? 0 : 2;
        return lr * lr + depth * depth + x * x + booster + Math.log((Long) p.get("leaves")) * 0.01;
    }

    private static List<Trial> run(SearchSpace space, Sampler sampler) {
        return new Study(space, Direction.MINIMIZE, sampler, null, 1, StudyListener.NONE, CLOCK).optimize(t -> {
            double x = (Double) t.params().get("x");
            return (x - 2) * (x - 2);
        }, 50, null);
    }

    private static int near(List<Trial> trials, double target, double width) {
        return (int) trials.subList(30, 50).stream().filter(t -> Math.abs((Double) t.params().get("x") - target) < width).count();
    }

    static Trial complete(int number, Map<String, Object> params, double value) {
        return new Trial(number, params, TrialState.COMPLETE, OptionalDouble.of(value), new TreeMap<>(), Duration.ZERO);
    }

    static Trial pruned(int number, Map<String, Object> params, Map<Long, Double> intermediate) {
        return new Trial(number, params, TrialState.PRUNED, OptionalDouble.empty(), new TreeMap<>(intermediate), Duration.ZERO);
    }

}
