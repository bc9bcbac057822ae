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
 * k-bit mask, so each leaf's k contributions are computed once for each of its 2^k masks
 * ({@link LeafTables}); a row then costs one pass over the tree's nodes to find every leaf's mask
 * and one k-vector addition per leaf: O(L·D) per tree against Algorithm 2's O(L·D²). A tree whose
 * tables would pass the memory budget computes the same sum per row from the polynomial
 * Π_{j∈A}(z_j + t) instead (O(D²) per leaf). The bias is the intercept plus each tree's
 * cover-weighted mean leaf value.
 *
 * <p>Output layout, as XGBoost's: per output group (class), one value per feature then the bias;
 * the values of a group add up to its margin. Thread-safe after construction.
 */
public final class TreeShap {
    /** Default memory for the leaf tables of one model. */
    public static final long DEFAULT_TABLE_BUDGET_BYTES = 256L * 1024 * 1024;
    /** Rows explained together, tree by tree, so a tree's tables stay in cache across them. */
    static final int BLOCK = 32;

    private final TreeEnsemble ensemble;
    private final List<LeafTables> trees;
    private final double[] bias;
    private final int width;

    private TreeShap(TreeEnsemble ensemble, List<LeafTables> trees, double[] bias) {
        this.ensemble = ensemble;
        this.trees = trees;
        this.bias = bias;
        this.width = ensemble.features() + 1;
    }

    public static TreeShap of(TreeEnsemble ensemble) {
        return of(ensemble, DEFAULT_TABLE_BUDGET_BYTES);
    }

    /** {@code tableBudgetBytes}: memory the leaf tables may take; trees past it are explained without tables. */
    public static TreeShap of(TreeEnsemble ensemble, long tableBudgetBytes) {
        List<LeafTables> trees = new ArrayList<>(ensemble.trees().size());
        double[] bias = new double[ensemble.groups()];
        for (int g = 0; g < bias.length; g++) {
            bias[g] = ensemble.baseMargin(g);
        }
        long left = tableBudgetBytes;
        for (TreeEnsemble.Tree tree : ensemble.trees()) {
            LeafTables compiled = LeafTables.compile(tree, left);
            left -= compiled.tableBytes();
            bias[tree.group()] += compiled.expectedValue();
            trees.add(compiled);
        }
        return new TreeShap(ensemble, List.copyOf(trees), bias);
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
        return trees.stream().mapToLong(LeafTables::tableBytes).sum();
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

    /** Rows {@code from..to} in blocks, tree by tree within a block. */
    private void explain(double[][] rows, double[][] out, int from, int to) {
        long[] masks = new long[maxNodes()];
        LeafTables.Scratch scratch = new LeafTables.Scratch(maxDepth());
        for (int start = from; start < to; start += BLOCK) {
            int end = Math.min(to, start + BLOCK);
            for (LeafTables tree : trees) {
                int offset = tree.group() * width;
                for (int r = start; r < end; r++) {
                    tree.add(rows[r], masks, out[r], offset, scratch);
                }
            }
            for (int r = start; r < end; r++) {
                for (int g = 0; g < bias.length; g++) {
                    out[r][g * width + width - 1] += bias[g];
                }
            }
        }
    }

    private int maxNodes() {
        return trees.stream().mapToInt(LeafTables::nodes).max().orElse(1);
    }

    private int maxDepth() {
        return trees.stream().mapToInt(LeafTables::depth).max().orElse(0) + 1;
    }
}
