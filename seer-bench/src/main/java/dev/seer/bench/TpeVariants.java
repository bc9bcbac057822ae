package dev.seer.bench;

import dev.seer.training.tuning.TpeOptions;

/**
 * TPE configurations named on the command line for the development runs: "optuna310" (Optuna
 * 3.1.0's), "default" (Seer's), or either followed by "+"-joined changes: mv (multivariate), pdf
 * (true kernel density), ep (endpoints), uniform (weights), linear:B / sqrt:B (gamma), bw:F
 * (minimum bandwidth factor), scale:S (multivariate bandwidth scale), startup:N.
 */
final class TpeVariants {
    private TpeVariants() {}

    static TpeOptions parse(String spec) {
        String[] parts = spec.split("\\+");
        TpeOptions options = switch (parts[0]) {
            case "optuna310" -> TpeOptions.optuna310();
            case "default" -> TpeOptions.defaults();
            default -> throw new IllegalArgumentException("unknown TPE base [" + parts[0] + "]");
        };
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split(":");
            options = switch (kv[0]) {
                case "mv" -> options.withMultivariate(true);
                case "uv" -> options.withMultivariate(false);
                case "pdf" -> options.withScaledKernelDensity(true);
                case "ep" -> options.withEndpoints(true);
                case "uniform" -> options.withWeighting(TpeOptions.Weighting.UNIFORM);
                case "optunaweights" -> options.withWeighting(TpeOptions.Weighting.OPTUNA);
                case "linear" -> options.withGamma(TpeOptions.Gamma.LINEAR, Double.parseDouble(kv[1]));
                case "sqrt" -> options.withGamma(TpeOptions.Gamma.SQRT, Double.parseDouble(kv[1]));
                case "optunagamma" -> options.withGamma(TpeOptions.Gamma.OPTUNA, 0.1);
                case "bw" -> options.withMinBandwidthFactor(Double.parseDouble(kv[1]));
                case "scale" -> options.withBandwidthScale(Double.parseDouble(kv[1]));
                case "startup" -> options.withStartupTrials(Integer.parseInt(kv[1]));
                default -> throw new IllegalArgumentException("unknown TPE change [" + parts[i] + "]");
            };
        }
        return options;
    }
}
