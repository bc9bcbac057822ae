package dev.seer.explain;

import dev.seer.models.TreeEnsemble;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One tree prepared for TreeSHAP leaf by leaf (see {@link TreeShap} for the method): its nodes
 * renumbered breadth first, so a parent comes before its children (left and right consecutive)
 * and one forward pass finds every leaf's mask; for each split, the bit of its feature among the
 * distinct features of its root path and whether the feature is new there; for each leaf, the
 * path's distinct features and their cover products z. {@link Builder} is also the input of
 * {@link SubtreeTables}; a tree explained here computes each leaf's contributions per row from
 * its polynomial ({@link #leaf}), in double, with no tables.
 */
final class LeafPaths {
    private final int[] left;
    private final int[] right;
    private final int[] feature;
    private final float[] threshold;
    private final boolean[] defaultLeft;
    private final byte[] bit;
    private final boolean[] fresh;
    private final int[] leafOf;
    private final int[] pathStart;
    private final int[] pathLength;
    private final int[] pathFeatures;
    private final double[] pathZ;
    private final double[] value;
    private final int group;
    private final int depth;

    private LeafPaths(Builder b) {
        this.left = b.left;
        this.right = b.right;
        this.feature = b.feature;
        this.threshold = b.threshold;
        this.defaultLeft = b.defaultLeft;
        this.bit = b.bit;
        this.fresh = b.fresh;
        this.leafOf = b.leafOf;
        this.pathStart = b.pathStart.stream().mapToInt(Integer::intValue).toArray();
        this.pathLength = b.pathLength.stream().mapToInt(Integer::intValue).toArray();
        this.pathFeatures = b.pathFeatures.stream().mapToInt(Integer::intValue).toArray();
        this.pathZ = b.pathZ.stream().mapToDouble(Double::doubleValue).toArray();
        this.value = b.value.stream().mapToDouble(Double::doubleValue).toArray();
        this.group = b.group;
        this.depth = b.depth;
    }

    /** The tree without tables: each leaf's contributions from its polynomial, per row, in double. */
    static LeafPaths exact(Builder b) {
        return new LeafPaths(b);
    }

    int group() {
        return group;
    }

    int nodes() {
        return left.length;
    }

    int depth() {
        return depth;
    }

    /** Adds this tree's contributions for {@code row} to {@code out[offset + feature]}. */
    void add(double[] row, long[] masks, double[] out, int offset, Scratch scratch) {
        masks[0] = 0;
        for (int n = 0; n < left.length; n++) {
            long mask = masks[n];
            if (left[n] < 0) {
                addLeaf(leafOf[n], mask, out, offset, scratch);
                continue;
            }
            double x = row[feature[n]];
            boolean goesLeft = Double.isNaN(x) ? defaultLeft[n] : (float) x < threshold[n];
            int taken = goesLeft ? left[n] : right[n];
            int other = goesLeft ? right[n] : left[n];
            long b = 1L << bit[n];
            masks[taken] = fresh[n] ? mask | b : mask;
            masks[other] = mask & ~b;
        }
    }

    private void addLeaf(int l, long mask, double[] out, int offset, Scratch scratch) {
        int k = pathLength[l];
        int start = pathStart[l];
        double[] z = scratch.z;
        System.arraycopy(pathZ, start, z, 0, k);
        leaf(k, z, value[l], mask, scratch.contribution, scratch);
        for (int i = 0; i < k; i++) {
            out[offset + pathFeatures[start + i]] += scratch.contribution[i];
        }
    }

    /**
     * A leaf's contributions for one mask: {@code out[i] = v (o_i − z_i) Σ_{S⊆A∖i} w_k(|S|) Π_{U∖i∖S} z}.
     * With P(t) = Π_{j∈A}(z_j + t), the coefficient of t^s is the sum over |S| = s of Π_{A∖S} z, so
     * for i outside A the sum is Π_{B∖i} z · Σ_s w_k(s) c_s (B: the features x leaves); for i in A
     * it uses P divided by (t + z_i), done from the top coefficient down, which is stable for
     * z in [0, 1].
     */
    static void leaf(int k, double[] z, double v, long mask, double[] out, Scratch s) {
        double[] c = s.poly;
        Arrays.fill(c, 0, k + 2, 0);
        c[0] = 1;
        int degree = 0;
        double[] prefix = s.prefix;
        prefix[0] = 1;
        for (int j = 0; j < k; j++) {
            boolean in = (mask >>> j & 1) != 0;
            if (in) {
                for (int d = degree + 1; d >= 1; d--) {
                    c[d] = c[d - 1] + z[j] * c[d];
                }
                c[0] *= z[j];
                degree++;
            }
            prefix[j + 1] = prefix[j] * (in ? 1 : z[j]);
        }
        double[] suffix = s.suffix;
        suffix[k] = 1;
        for (int j = k - 1; j >= 0; j--) {
            suffix[j] = suffix[j + 1] * (((mask >>> j) & 1) != 0 ? 1 : z[j]);
        }
        double[] w = Weights.of(k);
        double sumA = 0;
        for (int d = 0; d <= Math.min(degree, k - 1); d++) {
            sumA += w[d] * c[d];
        }
        double[] q = s.quotient;
        for (int i = 0; i < k; i++) {
            if (((mask >>> i) & 1) == 0) {
                out[i] = v * -z[i] * prefix[i] * suffix[i + 1] * sumA;
                continue;
            }
            q[degree - 1] = c[degree];
            for (int d = degree - 1; d >= 1; d--) {
                q[d - 1] = c[d] - z[i] * q[d];
            }
            double sum = 0;
            for (int d = 0; d < degree; d++) {
                sum += w[d] * q[d];
            }
            out[i] = v * (1 - z[i]) * prefix[k] * sum;
        }
    }

    /** Working arrays of one thread, sized for the deepest tree. */
    static final class Scratch {
        final double[] poly;
        final double[] quotient;
        final double[] prefix;
        final double[] suffix;
        final double[] z;
        final double[] contribution;

        Scratch(int depth) {
            poly = new double[depth + 2];
            quotient = new double[depth + 1];
            prefix = new double[depth + 1];
            suffix = new double[depth + 1];
            z = new double[depth + 1];
            contribution = new double[depth + 1];
        }
    }

    /** Shapley weights w_k(s) = s!(k−s−1)!/k!, s = 0..k−1, per k, computed once. */
    static final class Weights {
        private static final double[][] BY_K = new double[TreeEnsemble.MAX_DEPTH + 2][];

        static {
            for (int k = 1; k < BY_K.length; k++) {
                double[] w = new double[k];
                for (int s = 0; s < k; s++) {
                    w[s] = Math.exp(logFactorial(s) + logFactorial(k - s - 1) - logFactorial(k));
                }
                BY_K[k] = w;
            }
            BY_K[0] = new double[0];
        }

        static double[] of(int k) {
            return BY_K[k];
        }

        private static double logFactorial(int n) {
            double sum = 0;
            for (int i = 2; i <= n; i++) {
                sum += Math.log(i);
            }
            return sum;
        }
    }

    /** The tree renumbered breadth first, with each node's path facts. */
    static final class Builder {
        final int[] left;
        final int[] right;
        final int[] feature;
        final float[] threshold;
        final boolean[] defaultLeft;
        final byte[] bit;
        final boolean[] fresh;
        final int[] leafOf;
        final List<Integer> pathStart = new ArrayList<>();
        final List<Integer> pathLength = new ArrayList<>();
        final List<Integer> pathFeatures = new ArrayList<>();
        final List<Double> pathZ = new ArrayList<>();
        final List<Double> value = new ArrayList<>();
        final int group;
        int depth;
        double expected;

        /** A node to place, with its root path's distinct features and their z so far. */
        private record Pending(int original, int id, int[] features, double[] z) {}

        Builder(TreeEnsemble.Tree tree) {
            int n = tree.nodes();
            left = new int[n];
            right = new int[n];
            feature = new int[n];
            threshold = new float[n];
            defaultLeft = new boolean[n];
            bit = new byte[n];
            fresh = new boolean[n];
            leafOf = new int[n];
            group = tree.group();
            ArrayDeque<Pending> queue = new ArrayDeque<>();
            queue.add(new Pending(0, 0, new int[0], new double[0]));
            int next = 1;
            while (!queue.isEmpty()) {
                Pending p = queue.poll();
                int o = p.original();
                int id = p.id();
                depth = Math.max(depth, p.features().length);
                if (tree.isLeaf(o)) {
                    left[id] = -1;
                    right[id] = -1;
                    leafOf[id] = value.size();
                    addLeaf(p, tree.value(o));
                    continue;
                }
                leafOf[id] = -1;
                feature[id] = tree.feature(o);
                threshold[id] = tree.threshold(o);
                defaultLeft[id] = tree.defaultLeft(o);
                int position = indexOf(p.features(), tree.feature(o));
                fresh[id] = position < 0;
                bit[id] = (byte) (fresh[id] ? p.features().length : position);
                left[id] = next++;
                right[id] = next++;
                queue.add(child(p, tree, o, tree.left(o), left[id]));
                queue.add(child(p, tree, o, tree.right(o), right[id]));
            }
        }

        private void addLeaf(Pending p, double v) {
            pathStart.add(pathFeatures.size());
            pathLength.add(p.features().length);
            double product = 1;
            for (int i = 0; i < p.features().length; i++) {
                pathFeatures.add(p.features()[i]);
                pathZ.add(p.z()[i]);
                product *= p.z()[i];
            }
            value.add(v);
            expected += v * product;
        }

        private static Pending child(Pending p, TreeEnsemble.Tree tree, int parent, int original, int id) {
            double share = tree.cover(parent) > 0 ? tree.cover(original) / tree.cover(parent) : 0;
            int f = tree.feature(parent);
            int position = indexOf(p.features(), f);
            if (position >= 0) {
                double[] z = p.z().clone();
                z[position] *= share;
                return new Pending(original, id, p.features(), z);
            }
            int[] features = Arrays.copyOf(p.features(), p.features().length + 1);
            features[features.length - 1] = f;
            double[] z = Arrays.copyOf(p.z(), p.z().length + 1);
            z[z.length - 1] = share;
            return new Pending(original, id, features, z);
        }

        private static int indexOf(int[] features, int f) {
            for (int i = 0; i < features.length; i++) {
                if (features[i] == f) {
                    return i;
                }
            }
            return -1;
        }

        double[] z(int leaf) {
            double[] z = new double[pathLength.get(leaf)];
            for (int i = 0; i < z.length; i++) {
                z[i] = pathZ.get(pathStart.get(leaf) + i);
            }
            return z;
        }
    }
}
