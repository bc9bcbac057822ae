package dev.seer.serving.online;

import dev.seer.core.SeerException;
import dev.seer.serving.ServingErrorCode;
import java.util.Map;

/**
 * The per-coordinate rates and penalties of {@link FtrlProximal}, named as in McMahan et al. 2013, Algorithm 1.
 *
 * @param alpha the learning rate's scale: coordinate i moves at α / (β + √(Σ g_i²)); larger learns and forgets
 *              faster
 * @param beta  keeps the first steps, when Σ g_i² is small, from being huge; 1 is the paper's advice
 * @param l1    λ1, the L1 penalty: a weight whose accumulated gradient stays within λ1 is exactly 0
 * @param l2    λ2, the L2 penalty on the weights (on the whole history, so it is small next to many rows' loss)
 */
public record FtrlSettings(double alpha, double beta, double l1, double l2) {
    public FtrlSettings {
        positive("alpha", alpha);
        nonNegative("beta", beta);
        nonNegative("l1", l1);
        nonNegative("l2", l2);
    }

    /**
     * α = 0.1, β = 1, λ1 = 0, λ2 = 1: the paper's β, α in the range it reports for its data; no L1, since dense
     * features are few and sparsity buys nothing; a small λ2 to keep weights bounded on separable data.
     */
    public static FtrlSettings defaults() {
        return new FtrlSettings(0.1, 1, 0, 1);
    }

    private static void positive(String name, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw invalid(name, "FTRL setting [" + name + "] must be a positive number, not [" + value + "]");
        }
    }

    private static void nonNegative(String name, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw invalid(name, "FTRL setting [" + name + "] must be a number at least 0, not [" + value + "]");
        }
    }

    private static SeerException invalid(String field, String message) {
        return new SeerException(ServingErrorCode.INVALID_ARGUMENT, message, Map.of("field", field));
    }
}
