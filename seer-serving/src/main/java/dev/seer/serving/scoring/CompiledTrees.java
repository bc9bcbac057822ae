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
 * <h2>Keys instead of floats</h2>
 * XGBoost's rule: a value, as a float32, goes left when below the split's threshold; NaN goes
 * where the split's default direction says. Before the trees are walked, each value of a row
 * becomes an int <em>key</em> that orders as the floats do ({@link #key}: the float's bits with
 * the magnitude bits flipped for negatives, -0 made +0), every NaN the greatest key,
 * {@link Integer#MAX_VALUE}. A split whose missing values go right compares {@code key >=
 * key(threshold)}: NaN, above every number, goes right. A split whose missing values go left
 * compares {@code key + 1 >= key(threshold) + 1}: the same for every number (no key of a number
 * overflows), while NaN's key wraps to {@link Integer#MIN_VALUE} and goes left. So that the
 * {@code + 1} costs nothing per step, each row's keys are written twice, {@code [k0, k0 + 1, k1,
 * k1 + 1, ...]}, and a split reads slot {@code 2 * feature + missingLeft}. A step is then two loads,
 * one integer comparison and an add: no float compare, no NaN test, no branch. (Measured on the
 * issue's model, this halved the cost of a step against two float comparisons combined for NaN.)
 *
 * <h2>Layout</h2>
 * Every node of every tree is four ints in {@code nodes}, trees one after another, each tree's
 * nodes in breadth-first order with the two children of a split adjacent (as Treelite and
 * XGBoost's own array layout keep siblings together): {@code [key slot, threshold key, left child,
 * leaf value as float bits]}, a node named by its first int's index. The right child follows the
 * left, so a step is {@code next = left + (goes right ? 4 : 0)}.
 *
 * <p>A leaf is written as a split that always goes right onto itself: it compares key slot 0
 * against {@link Integer#MIN_VALUE}, and its left child is itself minus one node. A walk of a tree
 * is therefore exactly its depth in steps whatever leaf it reaches, with no test for leaves: the
 * loop's trip count is known and its branch predicted, and walks of different trees (for one row)
 * or of different rows (for one tree) are independent chains of loads that the processor overlaps.
 * lleaves and Treelite compile trees into branchy native code instead; those branches mispredict
 * on about half of the splits of real data, which a fixed-length branchless walk avoids without
 * generating code. (A shallow leaf in a deep, unbalanced tree costs a few wasted steps.)
 *
 * <h2>Order of work</h2>
 * One row (the predict path): trees in packs of four walked together, four independent chains per
 * step. Many rows: blocks of {@value #BLOCK} rows walked tree by tree, four rows at a time, so a
 * tree's nodes stay in the first-level cache for the whole block: QuickScorer's observation
 * (Lucchese et al., SIGIR 2015) that tree-by-tree over a block of documents beats
 * document-by-document, here without its bitvectors. Measured in seer-bench's {@code ScorerBench},
 * this order was about 1.4 times as fast as row by row; walking a block level by level, or eight
 * rows at a time, or three ints per node, was slower.
 *
 * <h2>Arithmetic</h2>
 * Margins are summed as XGBoost sums them: in float32, from the intercept, tree by tree in the
 * model's order (the double sum of two floats, rounded to float, is their float sum exactly), so
 * margins are XGBoost's to the bit. The link ({@link TreeEnsemble.Link}) is then applied in double;
 * XGBoost applies it in float, within 1e-7 relative of this.
 */
public final class CompiledTrees implements Scorer {
    /** At most this many rows per block in batch scoring. */
    static final int BLOCK = 256;
    /** At most this many keys per block: 40 KiB, 256 rows of 20 features. */
    private static final int BLOCK_KEYS = 10_240;

    /** Ints per node. */
    private static final int STRIDE = 4;

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
    private final int blockRows;
    /** Each thread's keys of the one row it scores, so that the predict path allocates nothing. */
    private final ThreadLocal<int[]> rowKeys;

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
        this.blockRows = Math.max(1, Math.min(BLOCK, BLOCK_KEYS / (2 * inputs)));
        this.rowKeys = ThreadLocal.withInitial(() -> new int[2 * inputs]);
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
            roots[t] = next * STRIDE;
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

    /** Writes {@code tree}'s nodes breadth-first from node number {@code first}, children adjacent; returns the next free number. */
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
                // every key is at least MIN_VALUE: always right, onto itself
                nodes[at] = 0;
                nodes[at + 1] = Integer.MIN_VALUE;
                nodes[at + 2] = at - STRIDE;
                nodes[at + 3] = Float.floatToRawIntBits((float) tree.value(node));
                continue;
            }
            placed[tree.left(node)] = next;
            placed[tree.right(node)] = next + 1;
            queue[tail++] = tree.left(node);
            queue[tail++] = tree.right(node);
            int missingLeft = tree.defaultLeft(node) ? 1 : 0;
            nodes[at] = 2 * tree.feature(node) + missingLeft;
            nodes[at + 1] = key(tree.threshold(node)) + missingLeft;
            nodes[at + 2] = next * STRIDE;
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
            int[] keys = rowKeys.get();
            keys(rows, 0, 1, keys);
            scoreOne(keys, out);
        } else if (count > 1) {
            // one array per call, not per row: a thread-local block would hold 40 KiB per thread per model
            int[] keys = new int[Math.min(count, blockRows) * 2 * inputs];
            for (int from = 0; from < count; from += blockRows) {
                int to = Math.min(count, from + blockRows);
                keys(rows, from, to, keys);
                scoreBlock(keys, from, to, out);
            }
        }
        finish(out, count);
    }

    /** The keys of rows {@code [from, to)} into {@code keys} from 0, each twice: {@code k} and {@code k + 1}. */
    private void keys(double[] rows, int from, int to, int[] keys) {
        int start = from * inputs;
        int end = to * inputs;
        for (int i = start; i < end; i++) {
            int key = key((float) rows[i]);
            keys[2 * (i - start)] = key;
            keys[2 * (i - start) + 1] = key + 1;
        }
    }

    /**
     * A float's key: the integers order as the floats do, -0 and +0 are one key, and every NaN has
     * the greatest key, {@link Integer#MAX_VALUE}, which no number has.
     */
    static int key(float x) {
        if (Float.isNaN(x)) {
            return Integer.MAX_VALUE;
        }
        int bits = Float.floatToRawIntBits(x + 0.0f);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    /** Margins of the row whose keys {@code keys} holds from 0 into {@code out[0..width)}: packs of four trees at once. */
    private void scoreOne(int[] keys, double[] out) {
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
                a = step(nodes, a, keys, 0);
                b = step(nodes, b, keys, 0);
                c = step(nodes, c, keys, 0);
                d = step(nodes, d, keys, 0);
            }
            add(out, groups[t], a);
            add(out, groups[t + 1], b);
            add(out, groups[t + 2], c);
            add(out, groups[t + 3], d);
        }
        for (int t = 4 * packs; t < roots.length; t++) {
            add(out, groups[t], walk(nodes, roots[t], depths[t], keys, 0));
        }
    }

    /** Margins of rows {@code [from, to)}, whose keys {@code keys} holds from 0: tree by tree, four rows at a time. */
    private void scoreBlock(int[] keys, int from, int to, double[] out) {
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
                int oa = (r - from) * 2 * inputs;
                int ob = oa + 2 * inputs;
                int oc = ob + 2 * inputs;
                int od = oc + 2 * inputs;
                int a = root;
                int b = root;
                int c = root;
                int d = root;
                for (int s = depth; s > 0; s--) {
                    a = step(nodes, a, keys, oa);
                    b = step(nodes, b, keys, ob);
                    c = step(nodes, c, keys, oc);
                    d = step(nodes, d, keys, od);
                }
                add(out, r * width + group, a);
                add(out, (r + 1) * width + group, b);
                add(out, (r + 2) * width + group, c);
                add(out, (r + 3) * width + group, d);
            }
            for (; r < to; r++) {
                add(out, r * width + group, walk(nodes, root, depth, keys, (r - from) * 2 * inputs));
            }
        }
    }

    private static int walk(int[] nodes, int root, int depth, int[] keys, int offset) {
        int node = root;
        for (int s = depth; s > 0; s--) {
            node = step(nodes, node, keys, offset);
        }
        return node;
    }

    /** The child {@code node} sends the row whose keys start at {@code offset} to (a leaf: itself); see the class comment. */
    private static int step(int[] nodes, int node, int[] keys, int offset) {
        int key = keys[offset + nodes[node]];
        return nodes[node + 2] + (key >= nodes[node + 1] ? STRIDE : 0);
    }

    /** Adds leaf {@code node}'s value to {@code out[at]} in float32, as XGBoost sums. */
    private void add(double[] out, int at, int node) {
        out[at] = (float) (out[at] + Float.intBitsToFloat(nodes[node + 3]));
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
