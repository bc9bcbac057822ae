package dev.seer.serving.experiment;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.serving.ServingErrorCode;
import java.util.Map;

/**
 * The mixture sequential probability ratio test (mSPRT) of champion against challenger, with an always-valid
 * p-value and confidence sequence: a test that may be looked at after every outcome, and stopped whenever it
 * says so, without inflating its error rate (Johari, Koomen, Pekelis and Walsh, "Peeking at A/B Tests: Why It
 * Matters, and What to Do About It", KDD 2017; Johari, Pekelis and Walsh, "Always Valid Inference: Continuous
 * Monitoring of A/B Tests", 2017 / arXiv:1512.04922). A fixed-horizon test read at every look is not: ten looks
 * at a t-test at 5% reject a true null about a fifth of the time, a hundred looks about two fifths.
 *
 * <h2>The statistic</h2>
 * θ is the difference of means, challenger minus champion. After n outcomes its estimate Δ̂ = ȳ_B − ȳ_A has
 * variance v = σ²_A/n_A + σ²_B/n_B, approximately normal. The mixture likelihood ratio of H1: θ ~ N(θ0, τ²)
 * against H0: θ = θ0 integrates the normal likelihood of Δ̂ over the mixing distribution, in closed form:
 * <pre>  Λ_n(θ0) = √(v / (v + τ²)) · exp( τ² (Δ̂ − θ0)² / (2 v (v + τ²)) )</pre>
 * which with balanced arms (v = V/n, V = σ²_A + σ²_B) is the paper's
 * {@code √(V/(V + nτ²)) · exp(n²τ²(Δ̂ − θ0)² / (2V(V + nτ²)))}. Under H0, Λ_n is a nonnegative martingale
 * with mean 1, so by Ville's inequality P(Λ_n ≥ 1/α for some n) ≤ α: the always-valid p-value
 * {@code p_n = min(p_{n−1}, 1/Λ_n(0))}, p_0 = 1, is a p-value at any stopping time. The confidence sequence is
 * the running intersection of {θ0 : Λ_n(θ0) < 1/α}, that is of Δ̂ ± √(v(v + τ²)/τ² · (2 ln(1/α) + ln(1 + τ²/v))),
 * so that 0 leaves it exactly when p_n ≤ α. Everything is computed in logarithms; Λ_n may be infinite.
 *
 * <p>As in the paper's deployment at Optimizely, the variances are estimated from the data (p̂(1 − p̂) for
 * Bernoulli outcomes, the sample variance for continuous ones) and plugged in, and unbalanced arms are handled
 * through v; the guarantee is then asymptotic, which is why the test stays silent until each arm has
 * {@link MsprtSettings#minSamples()} outcomes. If the estimated variance is 0 (both arms constant) Λ_n is 1 for
 * equal means and infinite otherwise. Should the running intersection become empty, which only a misspecified
 * model can cause, it collapses to the point where the intervals last met.
 *
 * <h2>Choosing τ</h2>
 * τ is the prior spread of the effect: the test reaches significance fastest for effects of about the size τ
 * can explain at the sample sizes reached, and is valid whatever τ is. The papers show the mixture's run
 * time is near-optimal when τ matches the distribution of effects actually seen, and Optimizely
 * sets it from the effects of its customers' past experiments. Seer has no such history for a new metric, and
 * a metric's units (accuracy, squared error) differ, so τ is given in units of the outcome's standard deviation:
 * {@code τ² = effect² · (σ²_A + σ²_B)/2}. The default effect 0.1 (a tenth of a standard deviation, half of
 * Cohen's "small") suits model comparisons, where a challenger worth promoting is a few points of accuracy
 * better: 0.80 against 0.84 accuracy is 0.1σ. A larger effect decides large differences sooner and small ones
 * later.
 *
 * <p>Thread-safe: outcomes may be added from several threads and the result read meanwhile.
 */
public final class Msprt {
    private final MsprtSettings settings;
    private final Arms champion;
    private final Arms challenger;
    private double logLambda;
    private double pValue = 1;
    private double lower = Double.NEGATIVE_INFINITY;
    private double upper = Double.POSITIVE_INFINITY;
    private int sign;

    public Msprt(MsprtSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
        this.champion = new Arms();
        this.challenger = new Arms();
    }

    private Msprt(MsprtSettings settings, State state) {
        this.settings = settings;
        this.champion = new Arms(state.championCount, state.championMean, state.championM2);
        this.challenger = new Arms(state.challengerCount, state.challengerMean, state.challengerM2);
        this.logLambda = state.logLambda;
        this.pValue = state.pValue;
        this.lower = state.lower;
        this.upper = state.upper;
        this.sign = state.sign;
    }

    /** A test that continues from a saved {@link #state()}. */
    public static Msprt restore(MsprtSettings settings, State state) {
        requireNonNull(settings, "settings is null");
        requireNonNull(state, "state is null");
        return new Msprt(settings, state);
    }

    public MsprtSettings settings() {
        return settings;
    }

    /** One outcome of a prediction the champion made. */
    public synchronized void addChampion(double value) {
        champion.add(check(value, "champion"));
        update();
    }

    /** One outcome of a prediction the challenger made. */
    public synchronized void addChallenger(double value) {
        challenger.add(check(value, "challenger"));
        update();
    }

    /** The test as of the last outcome. */
    public synchronized MsprtResult result() {
        return new MsprtResult(champion.count, challenger.count, champion.mean, challenger.mean,
                challenger.mean - champion.mean, Math.exp(logLambda), pValue, lower, upper, sign, settings.alpha());
    }

    /** Everything needed to continue the test after a restart, with {@link #restore}. */
    public synchronized State state() {
        return new State(champion.count, champion.mean, champion.m2, challenger.count, challenger.mean, challenger.m2,
                logLambda, pValue, lower, upper, sign);
    }

    /**
     * A saved test: each arm's count, mean and sum of squared deviations, and the running p-value, confidence
     * sequence and side of significance (+1 the challenger higher, −1 lower, 0 not yet significant).
     */
    public record State(long championCount, double championMean, double championM2, long challengerCount,
            double challengerMean, double challengerM2, double logLambda, double pValue, double lower, double upper,
            int sign) {}

    private double check(double value, String arm) {
        boolean ok = settings.outcome() == Outcome.BERNOULLI ? value == 0 || value == 1 : Double.isFinite(value);
        if (!ok) {
            throw new SeerException(ServingErrorCode.INVALID_ARGUMENT, "Outcome [" + value + "] of the " + arm
                    + " is not " + (settings.outcome() == Outcome.BERNOULLI ? "0 or 1" : "a finite number"),
                    Map.of("arm", arm));
        }
        return value;
    }

    private void update() {
        if (Math.min(champion.count, challenger.count) < settings.minSamples()) {
            return;
        }
        double varianceA = champion.variance(settings.outcome());
        double varianceB = challenger.variance(settings.outcome());
        double v = varianceA / champion.count + varianceB / challenger.count;
        double tau2 = settings.effect() * settings.effect() * (varianceA + varianceB) / 2;
        double difference = challenger.mean - champion.mean;
        logLambda = logLambda(difference, v, tau2);
        double p = Math.exp(-Math.max(0, logLambda));
        if (p <= settings.alpha() && sign == 0) {
            sign = difference > 0 ? 1 : -1;
        }
        pValue = Math.min(pValue, p);
        double halfWidth = halfWidth(v, tau2, settings.alpha());
        narrow(difference - halfWidth, difference + halfWidth);
    }

    private void narrow(double low, double high) {
        if (low > upper) {
            lower = upper;
        } else if (high < lower) {
            upper = lower;
        } else {
            lower = Math.max(lower, low);
            upper = Math.min(upper, high);
        }
    }

    /** ln Λ(0) for an estimated difference with variance v under the mixing variance τ². */
    static double logLambda(double difference, double v, double tau2) {
        if (v <= 0) {
            return difference == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        double r = tau2 / v;
        return -0.5 * Math.log1p(r) + difference * difference / (2 * v) * r / (1 + r);
    }

    /** Half the width of {θ0 : Λ(θ0) < 1/α}. */
    static double halfWidth(double v, double tau2, double alpha) {
        if (v <= 0) {
            return 0;
        }
        double r = tau2 / v;
        return Math.sqrt(v * (1 + r) / r * (-2 * Math.log(alpha) + Math.log1p(r)));
    }
}
