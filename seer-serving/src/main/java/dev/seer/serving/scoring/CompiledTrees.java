package dev.seer.serving.scoring;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.models.ModelErrorCode;
import dev.seer.models.OutputKind;
import dev.seer.models.Signature;
import dev.seer.models.TreeEnsemble;
import java.util.Map;

/**
 * An XGBoost tree ensemble compiled into one flat int array, scored in plain Java: no native call
 * and no allocation per row, the same outputs as XGBoost's predictor.
 *
 * <h2>Layout</h2>
 * Every node of every tree is four ints in {@code nodes}, trees one after another, each tree's
 * nodes in breadth-first order with the two children of a split adjacent (as Treelite's and
 * XGBoost's own array layouts keep siblings together): {@code [feature | missing-right bit,
 * threshold as float bits, left child, leaf value as float bits]}. The right child is {@code left
 * + 1}, so a step is {@code next = left + goesRight}, a few loads and no branch.
 *
 * <p>A leaf is written as a split that always goes right onto itself: threshold NaN (no value is
 * below NaN nor at or above it), missing goes right, left child its own index minus one. A walk of
 * a tree is therefore exactly {@code depth} steps whatever leaf it reaches, with no test for
 * leaves: the loop's trip count is known, its branch predicted, and walks of different trees (for
 * one row) or of different rows (for one tree) are independent chains of loads that the processor
 * overlaps. lleaves compiles trees into branchy native code instead; branches mispredict on about
 * half of the splits of real data, and a fixed-length branchless walk avoids them without
 * generating code. (A shallow leaf in a deep, unbalanced tree costs a few wasted steps.)
 *
 * <h2>Split rule</h2>
 * XGBoost's: the value, as a float32, goes left when below the threshold; NaN goes where the
 * split's default direction says. As one expression: {@code right = !(x < t) & ((x >= t) |
 * missingRight)}: for a number {@code x >= t} is {@code !(x < t)}, and for NaN both comparisons are
 * false, leaving {@code missingRight}.
 *
 * <h2>Order of work</h2>
 * One row ({@link #score(double[], int, double[])} with one row, the predict path): trees in
 * packs of four walked together, four independent chains per step. Many rows: blocks of
 * {@value #BLOCK} rows walked tree by tree, four rows at a time, so a tree's nodes stay in the
 * first-level cache for the whole block (QuickScorer's insight that the tree-by-tree order over a
 * block of documents beats document-by-document, here without its bitvectors); measured in
 * seer-bench's {@code ScorerBench}.
 *
 * <h2>Arithmetic</h2>
 * Margins are summed as XGBoost sums them: in float32, from the intercept, tree by tree in the
 * model's order (a double sum of two floats rounded back to float is the float sum exactly), so
 * margins are XGBoost's to the bit. The link ({@link TreeEnsemble.Link}) is then applied in
 * double; XGBoost applies it in float, within 1e-7 relative of this.
 */
public final class CompiledTrees implements Scorer {
    /** Rows per block in batch scoring: 256 rows of 20 doubles are 40 KiB, within the second-level cache. */
    static final int BLOCK = 256;

    private static final int STRIDE = 4;
    private static final int FEATURE = 0x7fffffff;
    private static final int MISSING_RIGHT = 0x80000000;

    private final Signature signature;
    private final int[] nodes;
    private final int[] roots;
    private final int[] depths;
    private final int[] groups;
    /** Per pack of four trees: the deepest of the four. */
    private final int[] packDepths;
    private final float[] baseMargins;
    private final TreeEnsemble.Link link;
    private final int inputs;
    private final int width;

    private CompiledTrees(Signature signature, int[] nodes, int[] roots, int[] depths, int[] groups,
            float[] baseMargins, TreeEnsemble.Link link) {
        this.signature = signature;
        this.nodes = nodes;
        this.roots = roots;
        this.depths = depths;
        this.groups = groups;
        this.baseMargins = baseMargins;
        this.link = link;
        this.inputs = signature.inputs().size();
        this.width = signature.width();
        this.packDepths = new int[roots.length / 4];
        for (int p = 0; p < packDepths.length; p++) {
            packDepths[p] = Math.max(Math.max(depths[4 * p], depths[4 * p + 1]), Math.max(depths[4 * p + 2], depths[4 * p + 3]));
        }
    }

    /**
     * Compiles {@code trees} for {@code signature}; refuses an ensemble whose feature count, output
     * groups or link are not the signature's.
     */
    public static CompiledTrees compile(TreeEnsemble trees, Signature signature) {
        requireNonNull(trees, "trees is null");
        requireNonNull(signature, "signature is null");
        check(trees, signature);
        int count = trees.trees().size();
        int total = 0;
        for (TreeEnsemble.Tree tree : trees.trees()) {
            total = Math.addExact(total, tree.nodes());
        }
        int[] nodes = new int[Math.multiplyExact(total, STRIDE)];
        int[] roots = new int[count];
        int[] depths = new int[count];
        int[] groups = new int[count];
        int next = 0;
        for (int t = 0; t < count; t++) {
            TreeEnsemble.Tree tree = trees.trees().get(t);
            roots[t] = next;
            depths[t] = tree.depth();
            groups[t] = tree.group();
            next = lay(tree, nodes, next);
        }
        float[] base = new float[trees.groups()];
        for (int g = 0; g < base.length; g++) {
            base[g] = (float) trees.baseMargin(g);
        }
        return new CompiledTrees(signature, nodes, roots, depths, groups, base, trees.link());
    }

    private static void check(TreeEnsemble trees, Signature signature) {
        if (trees.features() != signature.inputs().size()) {
            throw mismatch("The trees take [" + trees.features() + "] features; the signature declares ["
                    + signature.inputs().size() + "] inputs " + signature.names());
        }
        OutputKind output = switch (trees.link()) {
            case LOGISTIC -> OutputKind.PROBABILITY;
            case IDENTITY -> OutputKind.VALUE;
            case SOFTMAX -> OutputKind.CLASS_PROBABILITIES;
        };
        if (output != signature.output() || trees.groups() != signature.width()) {
            throw mismatch("The trees predict [" + output.id() + "] in [" + trees.groups()
                    + "] numbers per row; the signature declares [" + signature.output().id() + "] in ["
                    + signature.width() + "]");
        }
    }

    /** Writes {@code tree}'s nodes breadth-first from node {@code first}, children adjacent; returns the next free node. */
    private static int lay(TreeEnsemble.Tree tree, int[] nodes, int first) {
        int n = tree.nodes();
        int[] queue = new int[n];
        int[] placed = new int[n];
        queue[0] = 0;
        placed[0] = first;
        int next = first + 1;
        int tail = 1;
        for (int head = 0; head < tail; head++) {
            int node = queue[head];
            int at = placed[node] * STRIDE;
            if (tree.isLeaf(node)) {
                nodes[at] = MISSING_RIGHT;
                nodes[at + 1] = Float.floatToRawIntBits(Float.NaN);
                nodes[at + 2] = placed[node] - 1;
                nodes[at + 3] = Float.floatToRawIntBits((float) tree.value(node));
                continue;
            }
            placed[tree.left(node)] = next;
            placed[tree.right(node)] = next + 1;
            queue[tail++] = tree.left(node);
            queue[tail++] = tree.right(node);
            nodes[at] = tree.feature(node) | (tree.defaultLeft(node) ? 0 : MISSING_RIGHT);
            nodes[at + 1] = Float.floatToRawIntBits(tree.threshold(node));
            nodes[at + 2] = next;
            next += 2;
        }
        return next;
    }

    @Override
    public Signature signature() {
        return signature;
    }

    /** How many trees. */
    public int trees() {
        return roots.length;
    }

    @Override
    public void score(double[] rows, int count, double[] out) {
        Batches.check(rows, count, out, signature);
        if (count == 1) {
            scoreOne(rows, out);
        } else {
            for (int from = 0; from < count; from += BLOCK) {
                scoreBlock(rows, from, Math.min(count, from + BLOCK), out);
            }
        }
        finish(out, count);
    }

    /** Margins of the row at {@code rows[0..inputs)} into {@code out[0..width)}: packs of four trees at once. */
    private void scoreOne(double[] rows, double[] out) {
        for (int g = 0; g < width; g++) {
            out[g] = baseMargins[g];
        }
        int[] nodes = this.nodes;
        int packs = packDepths.length;
        for (int p = 0; p < packs; p++) {
            int t = 4 * p;
            int a = roots[t];
            int b = roots[t + 1];
            int c = roots[t + 2];
            int d = roots[t + 3];
            for (int s = packDepths[p]; s > 0; s--) {
                a = step(nodes, a, rows, 0);
                b = step(nodes, b, rows, 0);
                c = step(nodes, c, rows, 0);
                d = step(nodes, d, rows, 0);
            }
            add(out, groups[t], a);
            add(out, groups[t + 1], b);
            add(out, groups[t + 2], c);
            add(out, groups[t + 3], d);
        }
        for (int t = 4 * packs; t < roots.length; t++) {
            add(out, groups[t], walk(nodes, roots[t], depths[t], rows, 0));
        }
    }

    /** Margins of rows {@code [from, to)}: tree by tree, four rows at a time. */
    private void scoreBlock(double[] rows, int from, int to, double[] out) {
        for (int r = from; r < to; r++) {
            for (int g = 0; g < width; g++) {
                out[r * width + g] = baseMargins[g];
            }
        }
        int[] nodes = this.nodes;
        int inputs = this.inputs;
        int width = this.width;
        for (int t = 0; t < roots.length; t++) {
            int root = roots[t];
            int depth = depths[t];
            int group = groups[t];
            int r = from;
            for (; r + 3 < to; r += 4) {
                int oa = r * inputs;
                int ob = oa + inputs;
                int oc = ob + inputs;
                int od = oc + inputs;
                int a = root;
                int b = root;
                int c = root;
                int d = root;
                for (int s = depth; s > 0; s--) {
                    a = step(nodes, a, rows, oa);
                    b = step(nodes, b, rows, ob);
                    c = step(nodes, c, rows, oc);
                    d = step(nodes, d, rows, od);
                }
                add(out, r * width + group, a);
                add(out, (r + 1) * width + group, b);
                add(out, (r + 2) * width + group, c);
                add(out, (r + 3) * width + group, d);
            }
            for (; r < to; r++) {
                add(out, r * width + group, walk(nodes, root, depth, rows, r * inputs));
            }
        }
    }

    private static int walk(int[] nodes, int root, int depth, double[] rows, int offset) {
        int node = root;
        for (int s = depth; s > 0; s--) {
            node = step(nodes, node, rows, offset);
        }
        return node;
    }

    /** The child {@code node} sends the row at {@code offset} to (a leaf, itself); see the class comment. */
    private static int step(int[] nodes, int node, double[] rows, int offset) {
        int at = node * STRIDE;
        int head = nodes[at];
        float x = (float) rows[offset + (head & FEATURE)];
        float threshold = Float.intBitsToFloat(nodes[at + 1]);
        int right = (x < threshold ? 0 : 1) & ((x >= threshold ? 1 : 0) | (head >>> 31));
        return nodes[at + 2] + right;
    }

    /** Adds leaf {@code node}'s value to {@code out[at]} in float32, as XGBoost sums. */
    private void add(double[] out, int at, int node) {
        out[at] = (float) (out[at] + Float.intBitsToFloat(nodes[node * STRIDE + 3]));
    }

    private void finish(double[] out, int count) {
        switch (link) {
            case IDENTITY -> { }
            case LOGISTIC -> {
                for (int r = 0; r < count; r++) {
                    out[r] = 1 / (1 + Math.exp(-out[r]));
                }
            }
            case SOFTMAX -> {
                for (int r = 0; r < count; r++) {
                    softmax(out, r * width, width);
                }
            }
        }
    }

    private static void softmax(double[] out, int from, int width) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = from; k < from + width; k++) {
            max = Math.max(max, out[k]);
        }
        double sum = 0;
        for (int k = from; k < from + width; k++) {
            out[k] = Math.exp(out[k] - max);
            sum += out[k];
        }
        for (int k = from; k < from + width; k++) {
            out[k] /= sum;
        }
    }

    private static SeerException mismatch(String message) {
        return new SeerException(ModelErrorCode.SIGNATURE_MISMATCH, message, Map.of());
    }
}
