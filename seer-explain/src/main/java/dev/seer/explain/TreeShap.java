package dev.seer.explain;

import dev.seer.core.SeerException;
import dev.seer.models.TreeEnsemble;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Exact path-dependent TreeSHAP for an XGBoost tree ensemble, computed from the model's own trees.
 *
 * <p>The values are those of Lundberg et al. 2020 ("From local explanations to global understanding
 * with explainable AI for trees", Nature Machine Intelligence 2, Algorithm 2), which XGBoost's
 * {@code predictContrib} computes: the game's value for a coalition S is the tree's output
 * averaged over the paths S leaves open, each weighted by the share of training cover that went
 * down it. The computation is leaf by leaf, after FastTreeSHAP v2 (Yang 2022, arXiv 2109.09847):
 * for a leaf with value v whose root path tests the k distinct features U, let z_j be the product,
 * over j's splits on the path, of the cover share of the path's child, and o_j(x) = 1 when x
 * follows all of them. Players outside U change nothing at this leaf, so its part of feature i's
 * value is
 *
 * <pre>  φ_i += v · (o_i − z_i) · Σ_{S ⊆ A∖{i}} w_k(|S|) · Π_{j ∈ U∖{i}∖S} z_j,   w_k(s) = s!(k−s−1)!/k!,</pre>
 *
 * where A is the set of path features x follows. The sum depends on the row only through A, a
 * k-bit mask, so FastTreeSHAP v2 computes each leaf's k contributions once for each of its 2^k
 * masks; a row then costs one pass over the tree's nodes to find every leaf's mask and one
 * k-vector addition per leaf: O(L·D) per tree against Algorithm 2's O(L·D²).
 *
 * <p>Seer goes one step further ({@link SubtreeTables}, our own design): the summed contributions
 * of all the leaves under a node of small height h depend only on the node's mask and the row's
 * directions at the node's splits, so one table per such node replaces 2^h leaf look-ups by one
 * (h ≤ {@link #MAX_HEIGHT}, the highest that fits the memory budget). Rows go through in blocks,
 * root table by root table, the comparisons branch free and missing values without tests; the
 * tables' float values are summed in float over at most {@link #FLUSH} trees, then in double. A
 * tree whose tables would pass the budget computes its leaves' sums per row from the polynomial
 * Π_{j∈A}(z_j + t) instead ({@link LeafPaths}, O(D²) per leaf, in double). The bias is the
 * intercept plus each tree's cover-weighted mean leaf value.
 *
 * <p>Output layout, as XGBoost's: per output group (class), one value per feature then the bias;
 * the values of a group add up to its margin. Thread-safe after construction.
 */
public final class TreeShap {
    /** Default memory for the tables of one model. */
    public static final long DEFAULT_TABLE_BUDGET_BYTES = 256L * 1024 * 1024;
    /** Rows explained together, tree by tree and table by table, so a table stays in cache across them. */
    static final int BLOCK = 256;
    /** Trees whose table floats are summed in float before going into the double results. */
    static final int FLUSH = 16;

    /** Highest subtree tables tried ({@link SubtreeTables}): 2^(k + 7) entries per root at 3. */
    static final int MAX_HEIGHT = 3;

    private final TreeEnsemble ensemble;
    private final SubtreeTables[] fast;
    private final LeafPaths[] exact;
    private final int[] group;
    private final double[] bias;
    private final int width;
    /** Scratch sizes of {@link #explain}, the largest over the trees. */
    private final int maxNodes;
    private final int maxRoots;
    private final int maxDepth;

    private TreeShap(TreeEnsemble ensemble, SubtreeTables[] fast, LeafPaths[] exact, double[] bias) {
        this.ensemble = ensemble;
        this.fast = fast;
        this.exact = exact;
        this.bias = bias;
        this.width = ensemble.features() + 1;
        this.group = new int[fast.length];
        for (int t = 0; t < fast.length; t++) {
            group[t] = fast[t] != null ? fast[t].group() : exact[t].group();
        }
        this.maxNodes = maxNodes();
        this.maxRoots = maxRoots();
        this.maxDepth = maxDepth();
    }

    public static TreeShap of(TreeEnsemble ensemble) {
        return of(ensemble, DEFAULT_TABLE_BUDGET_BYTES);
    }

    /** {@code tableBudgetBytes}: memory the tables may take; trees past it are explained without tables. */
    public static TreeShap of(TreeEnsemble ensemble, long tableBudgetBytes) {
        return of(ensemble, tableBudgetBytes, MAX_HEIGHT);
    }

    /**
     * With subtree tables of height at most {@code maxHeight}: the highest height H whose tables
     * all fit the budget (a tree that cannot take H takes its smallest lower one); if none does,
     * tree by tree the smallest tables while the budget lasts, then none.
     */
    static TreeShap of(TreeEnsemble ensemble, long tableBudgetBytes, int maxHeight) {
        int trees = ensemble.trees().size();
        double[] bias = new double[ensemble.groups()];
        for (int g = 0; g < bias.length; g++) {
            bias[g] = ensemble.baseMargin(g);
        }
        LeafPaths.Builder[] builders = new LeafPaths.Builder[trees];
        SubtreeTables.Plan[][] plans = new SubtreeTables.Plan[trees][];
        for (int t = 0; t < trees; t++) {
            builders[t] = new LeafPaths.Builder(ensemble.trees().get(t));
            bias[builders[t].group] += builders[t].expected;
            plans[t] = new SubtreeTables.Plan[maxHeight + 1];
            for (int h = 0; h <= maxHeight && tableBudgetBytes > 0; h++) {
                plans[t][h] = SubtreeTables.plan(builders[t], h, ensemble.features());
            }
        }
        SubtreeTables.Plan[] chosen = choose(plans, tableBudgetBytes, maxHeight);
        SubtreeTables[] fast = new SubtreeTables[trees];
        LeafPaths[] exact = new LeafPaths[trees];
        for (int t = 0; t < trees; t++) {
            if (chosen[t] != null) {
                fast[t] = SubtreeTables.compile(chosen[t]);
            } else {
                exact[t] = LeafPaths.exact(builders[t]);
            }
        }
        return new TreeShap(ensemble, fast, exact, bias);
    }

    private static SubtreeTables.Plan[] choose(SubtreeTables.Plan[][] plans, long budget, int maxHeight) {
        for (int top = maxHeight; top >= 0; top--) {
            SubtreeTables.Plan[] chosen = new SubtreeTables.Plan[plans.length];
            long total = 0;
            for (int t = 0; t < plans.length && total <= budget; t++) {
                chosen[t] = plans[t][top] != null ? plans[t][top] : smallest(plans[t], top);
                total = chosen[t] == null ? Long.MAX_VALUE : total + chosen[t].bytes();
            }
            if (total <= budget) {
                return chosen;
            }
        }
        SubtreeTables.Plan[] chosen = new SubtreeTables.Plan[plans.length];
        long left = budget;
        for (int t = 0; t < plans.length; t++) {
            SubtreeTables.Plan p = smallest(plans[t], maxHeight);
            if (p != null && p.bytes() <= left) {
                chosen[t] = p;
                left -= p.bytes();
            }
        }
        return chosen;
    }

    private static SubtreeTables.Plan smallest(SubtreeTables.Plan[] plans, int top) {
        SubtreeTables.Plan best = null;
        for (int h = 0; h <= top; h++) {
            if (plans[h] != null && (best == null || plans[h].bytes() < best.bytes())) {
                best = plans[h];
            }
        }
        return best;
    }

    public int features() {
        return ensemble.features();
    }

    public int groups() {
        return bias.length;
    }

    /** The expected margin of each group: what the contributions start from. */
    public double bias(int group) {
        return bias[group];
    }

    /** Memory the leaf tables take. */
    public long tableBytes() {
        long bytes = 0;
        for (SubtreeTables tree : fast) {
            bytes += tree == null ? 0 : tree.tableBytes();
        }
        return bytes;
    }

    /** The contributions of one row: {@code groups × (features + 1)} values, each group's features then its bias. */
    public double[] contributions(double[] row) {
        return contributions(new double[][] {row}, 1)[0];
    }

    /** The contributions of many rows, on up to {@code threads} threads. */
    public double[][] contributions(double[][] rows, int threads) {
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != features()) {
                throw new SeerException(ExplainErrorCode.INVALID_ROW, "Row [" + r + "] has [" + rows[r].length
                        + "] values; the model takes [" + features() + "]", Map.of("row", r));
            }
        }
        double[][] out = new double[rows.length][groups() * width];
        int blocks = (rows.length + BLOCK - 1) / BLOCK;
        int workers = Math.max(1, Math.min(threads, blocks));
        if (workers == 1) {
            explain(rows, out, 0, rows.length);
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread thread = new Thread(r, "seer-treeshap");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> parts = new ArrayList<>();
            int per = (blocks + workers - 1) / workers * BLOCK;
            for (int from = 0; from < rows.length; from += per) {
                int start = from;
                int end = Math.min(rows.length, from + per);
                parts.add(pool.submit(() -> explain(rows, out, start, end)));
            }
            for (Future<?> part : parts) {
                part.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SeerException(ExplainErrorCode.INTERRUPTED, "Explaining was interrupted", Map.of());
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return out;
    }

    /**
     * Rows {@code from..to} in blocks, tree by tree within a block. The tables' floats are summed
     * in float for at most {@link #FLUSH} trees, then into the rows' doubles.
     */
    private void explain(double[][] rows, double[][] out, int from, int to) {
        int block = Math.min(BLOCK, to - from);
        int[] masks = new int[maxNodes];
        int[] entries = new int[block * maxRoots];
        long[] longMasks = new long[maxNodes];
        LeafPaths.Scratch scratch = new LeafPaths.Scratch(maxDepth);
        int stride = bias.length * width;
        float[] acc = new float[block * stride];
        float[] x = new float[block * 2 * features()];
        for (int start = from; start < to; start += BLOCK) {
            int end = Math.min(to, start + BLOCK);
            for (int r = start; r < end; r++) {
                twice(rows[r], x, r - start, block);
            }
            for (int t = 0; t < fast.length; t++) {
                int offset = group[t] * width;
                if (fast[t] != null && block == 1) {
                    fast[t].addRow(x, masks, entries, acc, offset);
                } else if (fast[t] != null) {
                    fast[t].add(x, end - start, masks, entries, acc, block, offset);
                } else {
                    for (int r = start; r < end; r++) {
                        exact[t].add(rows[r], longMasks, out[r], offset, scratch);
                    }
                }
                if (t % FLUSH == FLUSH - 1 || t == fast.length - 1) {
                    flush(acc, block, out, start, end);
                }
            }
            for (int r = start; r < end; r++) {
                for (int g = 0; g < bias.length; g++) {
                    out[r][g * width + width - 1] += bias[g];
                }
            }
        }
    }

    /** Adds the float sums ({@code acc[column × block + row]}) to the rows and clears them. */
    private static void flush(float[] acc, int block, double[][] out, int start, int end) {
        for (int r = start; r < end; r++) {
            double[] o = out[r];
            for (int j = 0; j < o.length; j++) {
                o[j] += acc[j * block + r - start];
                acc[j * block + r - start] = 0;
            }
        }
    }

    /**
     * Row {@code r} of a block into {@code x[column × block + r]}: as floats, missing values as NaN,
     * then again with missing values as −∞ (see {@link SubtreeTables}).
     */
    private static void twice(double[] row, float[] x, int r, int block) {
        int n = row.length;
        for (int j = 0; j < n; j++) {
            float v = (float) row[j];
            x[j * block + r] = v;
            x[(n + j) * block + r] = Float.isNaN(v) ? Float.NEGATIVE_INFINITY : v;
        }
    }

    private int maxNodes() {
        int nodes = 1;
        for (int t = 0; t < fast.length; t++) {
            nodes = Math.max(nodes, fast[t] != null ? fast[t].nodes() : exact[t].nodes());
        }
        return nodes;
    }

    private int maxRoots() {
        int roots = 1;
        for (SubtreeTables tree : fast) {
            roots = Math.max(roots, tree == null ? 0 : tree.roots());
        }
        return roots;
    }

    private int maxDepth() {
        int depth = 0;
        for (LeafPaths tree : exact) {
            depth = Math.max(depth, tree == null ? 0 : tree.depth());
        }
        return depth + 1;
    }
}
