package dev.seer.explain;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The coalitions KernelSHAP evaluates for M players and their Shapley kernel weights, chosen as
 * shap's {@code KernelExplainer} chooses them (Lundberg and Lee 2017, NeurIPS, Theorem 2: the
 * kernel {@code π(z) = (M−1) / (C(M,|z|)·|z|·(M−|z|))}).
 *
 * <p>A size s and its complement M−s are taken together ("paired"; the middle size of an even M
 * is its own complement). The share of the kernel's total mass of the sizes {s, M−s} is
 * proportional to {@code (M−1)/(s(M−s))}, doubled for a pair. Going from the smallest size up, a
 * size is enumerated in full (every subset and its complement, each at weight share/count) while
 * the samples left times the size's share of the mass left covers all of its subsets; the first
 * size that does not fit stops the enumeration. The rest of the budget is sampled: a size drawn
 * from the remaining sizes' shares (a pair's share halved, as each draw adds two coalitions), a
 * uniform subset of that size, and its complement; a coalition drawn again adds 1 to its count
 * instead of a row. The sampled counts are then scaled to the mass the enumerated sizes left.
 * The empty and the full coalition are not rows: the regression's constraint holds them.
 */
final class KernelCoalitions {
    final int players;
    final List<boolean[]> masks = new ArrayList<>();
    private final List<Double> weights = new ArrayList<>();
    private final Map<BitSet, Integer> seen = new HashMap<>();

    private KernelCoalitions(int players) {
        this.players = players;
    }

    /** shap's {@code nsamples="auto"}: 2M + 2048. */
    static int autoSamples(int players) {
        return 2 * players + 2048;
    }

    /** Every coalition but the empty and full one fits when there are at most 2^M − 2. */
    static int budget(int players, int nsamples) {
        return players <= 30 ? (int) Math.min(nsamples, (1L << players) - 2) : nsamples;
    }

    /** The coalitions of {@code players} (at least 2) for a budget of {@code nsamples}; {@code random} draws the sampled part. */
    static KernelCoalitions plan(int players, int nsamples, SplittableRandom random) {
        KernelCoalitions plan = new KernelCoalitions(players);
        int budget = budget(players, nsamples);
        double[] shares = sizeShares(players);
        int full = plan.enumerate(shares, budget);
        plan.sample(shares, full, budget - plan.masks.size(), random);
        return plan;
    }

    int size() {
        return masks.size();
    }

    double[] weights() {
        return weights.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Shares of the kernel's mass of the sizes 1..ceil((M−1)/2), each with its complement; they sum to 1. */
    static double[] sizeShares(int m) {
        int sizes = m / 2; // ceil((M−1)/2)
        double[] shares = new double[sizes];
        double total = 0;
        for (int s = 1; s <= sizes; s++) {
            shares[s - 1] = (m - 1.0) / (s * (double) (m - s)) * (paired(m, s) ? 2 : 1);
            total += shares[s - 1];
        }
        for (int i = 0; i < sizes; i++) {
            shares[i] /= total;
        }
        return shares;
    }

    /** A size below M/2 has a distinct complement size. */
    static boolean paired(int m, int size) {
        return size <= (m - 1) / 2;
    }

    static double binomial(int n, int k) {
        double c = 1;
        for (int i = 1; i <= k; i++) {
            c = c * (n - k + i) / i;
        }
        return c;
    }

    /** Enumerates the sizes that fit; returns how many did. */
    private int enumerate(double[] shares, int budget) {
        double[] remaining = shares.clone();
        double left = budget;
        int full = 0;
        for (int s = 1; s <= shares.length; s++) {
            double count = binomial(players, s) * (paired(players, s) ? 2 : 1);
            if (left * remaining[s - 1] / count < 1 - 1e-8) {
                break;
            }
            full++;
            left -= count;
            if (remaining[s - 1] < 1) {
                double rest = 1 - remaining[s - 1];
                for (int i = 0; i < remaining.length; i++) {
                    remaining[i] /= rest;
                }
            }
            addAll(s, shares[s - 1] / count);
        }
        return full;
    }

    /** Every subset of {@code size} (and, for a paired size, its complement) at {@code weight}. */
    private void addAll(int size, double weight) {
        int[] chosen = new int[size];
        for (int i = 0; i < size; i++) {
            chosen[i] = i;
        }
        while (true) {
            boolean[] mask = new boolean[players];
            for (int i : chosen) {
                mask[i] = true;
            }
            add(mask, weight);
            if (paired(players, size)) {
                add(complement(mask), weight);
            }
            if (!nextCombination(chosen)) {
                return;
            }
        }
    }

    /** Advances {@code chosen} to the next combination in lexicographic order; false after the last. */
    private boolean nextCombination(int[] chosen) {
        int k = chosen.length;
        int i = k - 1;
        while (i >= 0 && chosen[i] == players - k + i) {
            i--;
        }
        if (i < 0) {
            return false;
        }
        chosen[i]++;
        for (int j = i + 1; j < k; j++) {
            chosen[j] = chosen[j - 1] + 1;
        }
        return true;
    }

    /** Samples the sizes past {@code full} until {@code left} new coalitions are in, or 4·left draws are spent (as shap). */
    private void sample(double[] shares, int full, int left, SplittableRandom random) {
        if (full == shares.length || left <= 0) {
            return;
        }
        int first = masks.size();
        double[] cumulative = drawShares(shares, full);
        long draws = 4L * left;
        for (long d = 0; d < draws && left > 0; d++) {
            int size = full + 1 + pick(cumulative, random.nextDouble());
            boolean[] mask = randomSubset(size, random);
            Integer at = seen.get(BitSet.valueOf(bits(mask)));
            if (at != null) {
                bump(at);
                if (paired(players, size)) {
                    bump(at + 1);
                }
                continue;
            }
            seen.put(BitSet.valueOf(bits(mask)), masks.size());
            add(mask, 1);
            left--;
            if (left > 0 && paired(players, size)) {
                add(complement(mask), 1);
                left--;
            }
        }
        double mass = 0;
        for (int s = full; s < shares.length; s++) {
            mass += shares[s];
        }
        rescale(first, mass);
    }

    /** Cumulative draw probabilities of the sizes past {@code full}: a pair's share halved (a draw adds two rows). */
    private double[] drawShares(double[] shares, int full) {
        double[] p = new double[shares.length - full];
        double total = 0;
        for (int i = 0; i < p.length; i++) {
            int size = full + 1 + i;
            p[i] = shares[size - 1] / (paired(players, size) ? 2 : 1);
            total += p[i];
        }
        double running = 0;
        for (int i = 0; i < p.length; i++) {
            running += p[i] / total;
            p[i] = running;
        }
        return p;
    }

    private static int pick(double[] cumulative, double u) {
        for (int i = 0; i < cumulative.length; i++) {
            if (u < cumulative[i]) {
                return i;
            }
        }
        return cumulative.length - 1;
    }

    /** A uniform subset of {@code size} players: the first {@code size} places of a partial Fisher-Yates shuffle. */
    private boolean[] randomSubset(int size, SplittableRandom random) {
        int[] order = new int[players];
        for (int i = 0; i < players; i++) {
            order[i] = i;
        }
        boolean[] mask = new boolean[players];
        for (int i = 0; i < size; i++) {
            int j = i + random.nextInt(players - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
            mask[order[i]] = true;
        }
        return mask;
    }

    private void rescale(int first, double mass) {
        double total = 0;
        for (int i = first; i < weights.size(); i++) {
            total += weights.get(i);
        }
        for (int i = first; i < weights.size(); i++) {
            weights.set(i, weights.get(i) * mass / total);
        }
    }

    /** A drawn coalition's row is followed by its complement's, if that was added. */
    private void bump(int at) {
        if (at < weights.size()) {
            weights.set(at, weights.get(at) + 1);
        }
    }

    private void add(boolean[] mask, double weight) {
        masks.add(mask);
        weights.add(weight);
    }

    private static boolean[] complement(boolean[] mask) {
        boolean[] out = new boolean[mask.length];
        for (int i = 0; i < mask.length; i++) {
            out[i] = !mask[i];
        }
        return out;
    }

    private static long[] bits(boolean[] mask) {
        long[] words = new long[(mask.length + 63) / 64];
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                words[i >> 6] |= 1L << (i & 63);
            }
        }
        return words;
    }
}
