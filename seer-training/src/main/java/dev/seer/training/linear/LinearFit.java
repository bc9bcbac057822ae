package dev.seer.training.linear;

import static java.util.Objects.requireNonNull;

import dev.seer.models.LinearModel;

/**
 * A fitted linear model and how the fit ended.
 *
 * @param model the model, weights and intercept on the original scale of the features
 * @param converged whether the gradient fell to the tolerance; false when the iterations ran out or
 *     the line search could make no further progress, and the model is then the best point reached
 * @param iterations the solver's iterations (1 for ridge's closed form, the outer steps for the
 *     elastic net)
 * @param gradientNorm the largest gradient component of the mean-loss objective at the model (for
 *     the elastic net, of its smallest subgradient), as {@link LinearOptions#tolerance()} measures it
 */
public record LinearFit(LinearModel model, boolean converged, int iterations, double gradientNorm) {
    public LinearFit {
        requireNonNull(model, "model is null");
    }
}
