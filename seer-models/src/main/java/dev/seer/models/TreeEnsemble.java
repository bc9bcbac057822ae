package dev.seer.models;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.SeerException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An XGBoost tree ensemble read from the model file itself into flat arrays, so that Java can walk
 * its trees: TreeSHAP (seer-explain) and scoring without a native call per row. The semantics are
 * XGBoost's predictor's: a row goes left when its value, as a float32, is below the split's
 * threshold, and a missing value (NaN) goes where {@code default_left} says; a leaf's value (its
 * {@code split_conditions} entry, the learning rate already applied) adds to the margin of its
 * tree's output group ({@code tree_info}); each group starts from the intercept. XGBoost 3 keeps
 * the intercept ({@code base_score}) per group, in the objective's output space for the logistic
 * objectives (a probability, turned into a margin by the logit) and in margin space otherwise.
 *
 * <p>Objectives read: {@code binary:logistic} and {@code reg:logistic} (logistic link),
 * {@code reg:squarederror} and {@code reg:absoluteerror} (identity), {@code multi:softprob}
 * (softmax). Refused, naming what: another objective or booster (dart), categorical splits,
 * vector leaves, a tree whose children do not form a tree.
 */
public final class TreeEnsemble {
    /** Deeper trees are refused: walks over a tree stay bounded, and a path's features fit a 64-bit mask. */
    public static final int MAX_DEPTH = 64;

    /** How margins become the model's output. */
    public enum Link {
        IDENTITY, LOGISTIC, SOFTMAX;

        /** The output of {@code margins}: the value, P(class 1), or the class probabilities. */
        public double[] apply(double[] margins) {
            return switch (this) {
                case IDENTITY -> margins.clone();
                case LOGISTIC -> new double[] {1 / (1 + Math.exp(-margins[0]))};
                case SOFTMAX -> softmax(margins);
            };
        }

        private static double[] softmax(double[] margins) {
            double max = Double.NEGATIVE_INFINITY;
            for (double m : margins) {
                max = Math.max(max, m);
            }
            double[] out = new double[margins.length];
            double sum = 0;
            for (int i = 0; i < margins.length; i++) {
                out[i] = Math.exp(margins[i] - max);
                sum += out[i];
            }
            for (int i = 0; i < out.length; i++) {
                out[i] /= sum;
            }
            return out;
        }
    }

    private final List<Tree> trees;
    private final int features;
    private final double[] baseMargins;
    private final Link link;

    private TreeEnsemble(List<Tree> trees, int features, double[] baseMargins, Link link) {
        this.trees = List.copyOf(trees);
        this.features = features;
        this.baseMargins = baseMargins;
        this.link = link;
    }

    /** Reads the trees of an XGBoost model in {@code format} ({@code xgboost-json} or {@code xgboost-ubj}). */
    public static TreeEnsemble read(ModelFormat format, byte[] bytes) {
        JsonNode document = XGBoostHeader.document(format, bytes);
        XGBoostHeader header = XGBoostHeader.of(document, format);
        JsonNode learner = document.path("learner");
        String booster = learner.path("gradient_booster").path("name").asText();
        if (!booster.equals("gbtree")) {
            throw invalid(format, "uses booster [" + booster + "]; only gbtree models are read as trees");
        }
        if (header.targets() != 1) {
            throw invalid(format, "predicts [" + header.targets() + "] targets per row; one is read as trees");
        }
        Link link = link(header.objective(), format);
        int groups = link == Link.SOFTMAX ? header.classes() : 1;
        double[] base = baseMargins(learner.path("learner_model_param").path("base_score").asText(), groups, link, format);
        JsonNode model = learner.path("gradient_booster").path("model");
        JsonNode info = model.path("tree_info");
        JsonNode treeNodes = model.path("trees");
        if (!treeNodes.isArray() || !info.isArray() || info.size() != treeNodes.size()) {
            throw invalid(format, "has [" + treeNodes.size() + "] trees but [" + info.size() + "] entries in tree_info");
        }
        List<Tree> trees = new ArrayList<>(treeNodes.size());
        for (int t = 0; t < treeNodes.size(); t++) {
            int group = info.get(t).asInt(-1);
            if (group < 0 || group >= groups) {
                throw invalid(format, "puts tree [" + t + "] in output group [" + info.get(t) + "] of [" + groups + "]");
            }
            trees.add(Tree.read(treeNodes.get(t), t, group, (int) header.features(), format));
        }
        return new TreeEnsemble(trees, (int) header.features(), base, link);
    }

    public int features() {
        return features;
    }

    /** Output groups: the class count for softmax, else 1. */
    public int groups() {
        return baseMargins.length;
    }

    public List<Tree> trees() {
        return trees;
    }

    public Link link() {
        return link;
    }

    /** The intercept of {@code group}, as a margin. */
    public double baseMargin(int group) {
        return baseMargins[group];
    }

    /** The margin of every group for one row ({@link #features()} values, NaN missing). */
    public double[] margins(double[] row) {
        if (row.length != features) {
            throw new SeerException(ModelErrorCode.INVALID_INPUT, "A row has [" + row.length + "] values; the model takes ["
                    + features + "]", Map.of("width", row.length));
        }
        double[] margins = baseMargins.clone();
        for (Tree tree : trees) {
            margins[tree.group()] += tree.value(tree.leaf(row));
        }
        return margins;
    }

    /** The model's output for one row, as {@link Model#predict} gives it. */
    public double[] predict(double[] row) {
        return link.apply(margins(row));
    }

    private static Link link(String objective, ModelFormat format) {
        return switch (objective) {
            case "binary:logistic", "reg:logistic" -> Link.LOGISTIC;
            case "reg:squarederror", "reg:absoluteerror" -> Link.IDENTITY;
            case "multi:softprob" -> Link.SOFTMAX;
            default -> throw invalid(format, "has objective [" + objective + "]; trees are read for binary:logistic, "
                    + "reg:logistic, reg:squarederror, reg:absoluteerror and multi:softprob");
        };
    }

    /** {@code base_score}: {@code "[0.55]"} or {@code "[a,b,c]"} (XGBoost 3), or {@code "0.5"} (XGBoost 1 and 2, one for every group). */
    private static double[] baseMargins(String text, int groups, Link link, ModelFormat format) {
        String inner = text.strip();
        if (inner.startsWith("[") && inner.endsWith("]")) {
            inner = inner.substring(1, inner.length() - 1);
        }
        String[] parts = inner.split(",");
        if (parts.length != 1 && parts.length != groups) {
            throw invalid(format, "has base_score [" + text + "] for [" + groups + "] output groups");
        }
        double[] margins = new double[groups];
        for (int g = 0; g < groups; g++) {
            double value;
            try {
                value = Double.parseDouble(parts[parts.length == 1 ? 0 : g].strip());
            } catch (NumberFormatException e) {
                throw invalid(format, "has base_score [" + text + "], not numbers");
            }
            margins[g] = link == Link.LOGISTIC ? logit(value, format) : value;
        }
        return margins;
    }

    private static double logit(double p, ModelFormat format) {
        if (!(p > 0 && p < 1)) {
            throw invalid(format, "has base_score [" + p + "] for a logistic objective; it must be in (0, 1)");
        }
        // as XGBoost: the probability is a float32, its logit taken in float32's precision
        float q = (float) p;
        return -Math.log(1.0 / q - 1.0);
    }

    static SeerException invalid(ModelFormat format, String problem) {
        return new SeerException(ModelErrorCode.INVALID_MODEL, "The " + format.id() + " model " + problem,
                Map.of("format", format.id()));
    }

    /**
     * One tree in flat arrays indexed by node id; node 0 is the root. A leaf has no children
     * ({@code left(n) == -1}); its value is {@link #value}. {@link #cover} is the training rows'
     * hessian sum that reached the node (XGBoost's {@code sum_hessian}), which path-dependent
     * TreeSHAP weighs by.
     */
    public static final class Tree {
        private final int[] left;
        private final int[] right;
        private final int[] feature;
        private final float[] threshold;
        private final boolean[] defaultLeft;
        private final double[] value;
        private final double[] cover;
        private final int group;
        private final int depth;

        private Tree(int[] left, int[] right, int[] feature, float[] threshold, boolean[] defaultLeft, double[] value,
                double[] cover, int group, int depth) {
            this.left = left;
            this.right = right;
            this.feature = feature;
            this.threshold = threshold;
            this.defaultLeft = defaultLeft;
            this.value = value;
            this.cover = cover;
            this.group = group;
            this.depth = depth;
        }

        public int nodes() {
            return left.length;
        }

        public boolean isLeaf(int node) {
            return left[node] < 0;
        }

        public int left(int node) {
            return left[node];
        }

        public int right(int node) {
            return right[node];
        }

        /** The feature a split tests (an index into the row). */
        public int feature(int node) {
            return feature[node];
        }

        public float threshold(int node) {
            return threshold[node];
        }

        public boolean defaultLeft(int node) {
            return defaultLeft[node];
        }

        /** A leaf's value (a split's is unused). */
        public double value(int node) {
            return value[node];
        }

        public double cover(int node) {
            return cover[node];
        }

        /** The output group (class) this tree adds to. */
        public int group() {
            return group;
        }

        /** The longest path from the root to a leaf, in splits. */
        public int depth() {
            return depth;
        }

        /** The child a value {@code x} takes at split {@code node}: left below the float32 threshold, NaN by default. */
        public int next(int node, double x) {
            if (Double.isNaN(x)) {
                return defaultLeft[node] ? left[node] : right[node];
            }
            return (float) x < threshold[node] ? left[node] : right[node];
        }

        /** The leaf {@code row} reaches. */
        public int leaf(double[] row) {
            int node = 0;
            while (left[node] >= 0) {
                node = next(node, row[feature[node]]);
            }
            return node;
        }

        static Tree read(JsonNode tree, int index, int group, int features, ModelFormat format) {
            String where = "tree [" + index + "]";
            if (tree.path("tree_param").path("size_leaf_vector").asInt(1) > 1) {
                throw invalid(format, "has vector leaves in " + where + "; scalar leaves are read");
            }
            int[] left = ints(tree, "left_children", where, format);
            int n = left.length;
            int[] right = ints(tree, "right_children", where, format);
            int[] feature = ints(tree, "split_indices", where, format);
            double[] conditions = doubles(tree, "split_conditions", where, format);
            int[] defaults = ints(tree, "default_left", where, format);
            double[] cover = doubles(tree, "sum_hessian", where, format);
            for (int[] column : new int[][] {right, feature, defaults}) {
                if (column.length != n) {
                    throw invalid(format, "has arrays of different lengths in " + where);
                }
            }
            if (conditions.length != n || cover.length != n || n == 0) {
                throw invalid(format, "has arrays of different lengths in " + where);
            }
            JsonNode types = tree.path("split_type");
            for (JsonNode type : types) {
                if (type.asInt() != 0) {
                    throw invalid(format, "has a categorical split in " + where + "; numeric splits are read");
                }
            }
            float[] threshold = new float[n];
            boolean[] defaultLeft = new boolean[n];
            for (int i = 0; i < n; i++) {
                threshold[i] = (float) conditions[i];
                conditions[i] = (float) conditions[i]; // XGBoost's float32 values exactly, not their decimal text
                cover[i] = (float) cover[i];
                defaultLeft[i] = defaults[i] != 0;
            }
            int depth = check(left, right, feature, features, where, format);
            return new Tree(left, right, feature, threshold, defaultLeft, conditions, cover, group, depth);
        }

        /** Every node reached once from the root, children in range, split features in range; returns the depth. */
        private static int check(int[] left, int[] right, int[] feature, int features, String where, ModelFormat format) {
            int n = left.length;
            boolean[] seen = new boolean[n];
            int[] depthOf = new int[n];
            int[] stack = new int[n];
            int top = 0;
            stack[top++] = 0;
            seen[0] = true;
            int depth = 0;
            while (top > 0) {
                int node = stack[--top];
                depth = Math.max(depth, depthOf[node]);
                if ((left[node] < 0) != (right[node] < 0)) {
                    throw invalid(format, "has node [" + node + "] with one child in " + where);
                }
                if (left[node] < 0) {
                    continue;
                }
                if (feature[node] < 0 || feature[node] >= features) {
                    throw invalid(format, "splits node [" + node + "] on feature [" + feature[node] + "] of [" + features
                            + "] in " + where);
                }
                for (int child : new int[] {left[node], right[node]}) {
                    if (child >= n || seen[child]) {
                        throw invalid(format, "has node [" + node + "] pointing at node [" + child + "] in " + where
                                + ", which is not a tree");
                    }
                    seen[child] = true;
                    depthOf[child] = depthOf[node] + 1;
                    if (depthOf[child] > MAX_DEPTH) {
                        throw invalid(format, "is deeper than " + MAX_DEPTH + " in " + where);
                    }
                    stack[top++] = child;
                }
            }
            return depth;
        }

        private static int[] ints(JsonNode tree, String field, String where, ModelFormat format) {
            JsonNode array = array(tree, field, where, format);
            int[] values = new int[array.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = array.get(i).asInt();
            }
            return values;
        }

        private static double[] doubles(JsonNode tree, String field, String where, ModelFormat format) {
            JsonNode array = array(tree, field, where, format);
            double[] values = new double[array.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = array.get(i).asDouble();
            }
            return values;
        }

        private static JsonNode array(JsonNode tree, String field, String where, ModelFormat format) {
            JsonNode array = tree.get(field);
            if (array == null || !array.isArray()) {
                throw invalid(format, "has no array [" + field + "] in " + where);
            }
            return array;
        }
    }
}
