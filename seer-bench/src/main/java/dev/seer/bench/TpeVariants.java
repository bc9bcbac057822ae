package dev.seer.bench;

import dev.seer.training.tuning.GpOptions;
import dev.seer.training.tuning.GpSampler;
import dev.seer.training.tuning.Sampler;
import dev.seer.training.tuning.TpeOptions;
import dev.seer.training.tuning.TpeSampler;

/**
 * TPE configurations named on the command line for the development runs: "optuna310" (Optuna
 * 3.1.0's), "default" (Seer's), or either followed by "+"-joined changes: mv (multivariate), pdf
 * (true kernel density), ep (endpoints), uniform (weights), linear:B / sqrt:B (gamma), bw:F
 * (minimum bandwidth factor), scale:S (multivariate bandwidth scale), startup:N.
 */
final class TpeVariants {
    private TpeVariants() {}

    /** The sampler a variant names, seeded. */
    static Sampler sampler(String spec, long seed) {
        return spec.startsWith("gp") ? new GpSampler(seed, parseGp(spec)) : new TpeSampler(seed, parse(spec));
    }

    static GpOptions parseGp(String spec) {
        String[] parts = spec.split("\\+");
        if (!parts[0].equals("gp")) {
            throw new IllegalArgumentException("unknown GP base [" + parts[0] + "]");
        }
        GpOptions options = GpOptions.defaults();
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split(":");
            int n = Integer.parseInt(kv[1]);
            options = switch (kv[0]) {
                case "startup" -> options.withStartupTrials(n);
                case "candidates" -> new GpOptions(options.startupTrials(), n, options.localSearches());
                case "local" -> new GpOptions(options.startupTrials(), options.candidates(), n);
                default -> throw new IllegalArgumentException("unknown GP change [" + parts[i] + "]");
            };
        }
        return options;
    }

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
