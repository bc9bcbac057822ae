package dev.seer.explain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One tree compiled for TreeSHAP with subtree tables: a generalisation of FastTreeSHAP v2's leaf
 * tables (Yang 2022, arXiv 2109.09847; see {@link TreeShap} for the method) of our own design.
 *
 * <p>A leaf's contributions depend on the row only through its mask: which of its path's distinct
 * features the row follows at every split on them. For a node r whose subtree has height at most
 * h, every leaf mask below r is a function of r's own mask (over r's k_r path features) and of the
 * directions the row takes at r's m ≤ 2^h − 1 internal splits; so is the sum of their
 * contributions, over the union of the features on those paths. One table per such node, indexed
 * by {@code mask << m | directions}, replaces 2^h leaf look-ups by one. The tree is cut into
 * table roots: the highest nodes of height at most h (a shallower leaf is its own root, with h =
 * 0 the tables are v2's); the nodes above them only carry masks down. Tables take 2^(k_r + m) ×
 * |union| floats per root; {@link TreeShap} chooses h within its memory budget, and a node whose
 * table would pass {@link #ROOT_BYTES} leaves the job to its children.
 *
 * <p>A row is one pass over the upper nodes, branch free (children are consecutive, the masks of
 * both are written with selects), then per root m comparisons and one vector addition. Missing
 * values need no test: the row is given twice, missing values as NaN (every comparison false: the
 * row goes right) then as −∞ (it goes left), and each split reads the copy of its default
 * direction. That is exact unless a threshold is −∞ or NaN; such a tree is not compiled here.
 */
final class SubtreeTables {
    /** Largest index bits (k_r + m) of one root's table. */
    static final int MAX_BITS = 24;
    /**
     * Largest table of one root above the leaves: past it the node's children are tried instead,
     * which keeps a root's table in the core's caches while a block of rows goes through it.
     */
    static final long ROOT_BYTES = 64 * 1024;

    private final int group;
    private final int nodes;
    private final int[] upperNode;
    private final int[] upperFeature;
    private final float[] upperThreshold;
    private final int[] upperFresh;
    private final int[] upperClear;
    private final int[] upperLeft;
    private final int[] rootNode;
    private final int[] splitStart;
    private final int[] splitFeature;
    private final float[] splitThreshold;
    private final int[] featureStart;
    private final int[] rootFeatures;
    private final int[] tableOffset;
    private final float[] table;

    private SubtreeTables(Plan p, float[] table, int[] tableOffset) {
        this.group = p.b.group;
        this.nodes = p.b.left.length;
        LeafPaths.Builder b = p.b;
        int features = p.features;
        int u = p.upper.size();
        upperNode = new int[u];
        upperFeature = new int[u];
        upperThreshold = new float[u];
        upperFresh = new int[u];
        upperClear = new int[u];
        upperLeft = new int[u];
        for (int i = 0; i < u; i++) {
            int n = p.upper.get(i);
            upperNode[i] = n;
            upperFeature[i] = column(b, n, features);
            upperThreshold[i] = b.threshold[n];
            upperFresh[i] = b.fresh[n] ? 1 << b.bit[n] : 0;
            upperClear[i] = ~(1 << b.bit[n]);
            upperLeft[i] = b.left[n];
        }
        int roots = p.roots.size();
        rootNode = new int[roots];
        splitStart = new int[roots + 1];
        featureStart = new int[roots + 1];
        List<Integer> splits = new ArrayList<>();
        List<Integer> union = new ArrayList<>();
        for (int r = 0; r < roots; r++) {
            Root root = p.roots.get(r);
            rootNode[r] = root.node;
            splitStart[r] = splits.size();
            splits.addAll(root.splits);
            featureStart[r] = union.size();
            union.addAll(root.union);
        }
        splitStart[roots] = splits.size();
        featureStart[roots] = union.size();
        splitFeature = new int[splits.size()];
        splitThreshold = new float[splits.size()];
        for (int s = 0; s < splitFeature.length; s++) {
            splitFeature[s] = column(b, splits.get(s), features);
            splitThreshold[s] = b.threshold[splits.get(s)];
        }
        rootFeatures = union.stream().mapToInt(Integer::intValue).toArray();
        this.table = table;
        this.tableOffset = tableOffset;
    }

    /** Where a split reads the row: the NaN copy if missing values go right, the −∞ copy if left. */
    private static int column(LeafPaths.Builder b, int n, int features) {
        return b.feature[n] + (b.defaultLeft[n] ? features : 0);
    }

    /** The layout for height {@code h}, or null if a threshold or a table size rules it out. */
    static Plan plan(LeafPaths.Builder b, int h, int features) {
        for (int n = 0; n < b.left.length; n++) {
            if (b.left[n] >= 0 && !(b.threshold[n] > Float.NEGATIVE_INFINITY)) {
                return null;
            }
        }
        Plan p = new Plan(b, features);
        int[] height = heights(b);
        int[] k = pathLengths(b);
        List<Integer> pending = new ArrayList<>(List.of(0));
        for (int i = 0; i < pending.size(); i++) {
            int n = pending.get(i);
            Root root = height[n] > h ? null : Root.of(b, n, k[n]);
            if (root == null || height[n] > 0 && root.bytes() > ROOT_BYTES) {
                p.upper.add(n);
                pending.add(b.left[n]);
                pending.add(b.right[n]);
                continue;
            }
            if (k[n] + root.splits.size() > MAX_BITS) {
                return null;
            }
            p.roots.add(root);
            p.floats += (long) root.union.size() << (k[n] + root.splits.size());
            if (p.floats > Integer.MAX_VALUE - 8) {
                return null; // past one array
            }
        }
        p.upper.sort(null);
        p.roots.sort((x, y) -> Integer.compare(x.node, y.node));
        return p;
    }

    /** Builds the tables of a plan. */
    static SubtreeTables compile(Plan p) {
        float[] table = new float[Math.toIntExact(p.floats)];
        int[] offsets = new int[p.roots.size()];
        LeafPaths.Scratch scratch = new LeafPaths.Scratch(p.b.depth + 1);
        int offset = 0;
        for (int r = 0; r < offsets.length; r++) {
            offsets[r] = offset;
            offset = p.roots.get(r).fill(p.b, table, offset, scratch);
        }
        return new SubtreeTables(p, table, offsets);
    }

    int group() {
        return group;
    }

    int nodes() {
        return nodes;
    }

    long tableBytes() {
        return (long) table.length * Float.BYTES;
    }

    /**
     * Adds this tree's contributions for rows {@code 0..count−1} of {@code x} to
     * {@code acc[(offset + feature) × block + row]}, root by root so that a root's table stays in
     * cache across the rows. {@code x[column × block + row]}: the rows as floats, missing values as
     * NaN in columns {@code 0..features−1}, then again as −∞. {@code masks}: room for {@link #nodes()}; {@code entry}: for
     * {@link #roots()} {@code × block}.
     */
    void add(float[] x, int count, int[] masks, int[] entry, float[] acc, int block, int offset) {
        int roots = rootNode.length;
        for (int r = 0; r < count; r++) {
            carryMasks(x, r, block, masks);
            for (int j = 0; j < roots; j++) {
                entry[j * block + r] = masks[rootNode[j]];
            }
        }
        for (int j = 0; j < roots; j++) {
            int at = j * block;
            int m = splitStart[j + 1] - splitStart[j];
            if (m == 3) {
                directionsThree(j, x, count, block, entry, at);
            } else if (m == 7) {
                directionsSeven(j, x, count, block, entry, at);
            } else {
                directions(j, x, count, block, entry, at);
            }
            gather(j, count, entry, at, acc, block, offset);
        }
    }

    /**
     * One row's contributions added to {@code acc[offset + feature]}: {@link #add} for a block of
     * one row without its loops over rows, the same sums in the same order. Every root's entry is
     * found before any is read, so the reads of one row, which miss the caches, overlap.
     */
    void addRow(float[] x, int[] masks, int[] entry, float[] acc, int offset) {
        carryMasks(x, 0, 1, masks);
        for (int j = 0; j < rootNode.length; j++) {
            int index = masks[rootNode[j]];
            int end = splitStart[j + 1];
            for (int s = splitStart[j]; s < end; s++) {
                index = index << 1 | (x[splitFeature[s]] < splitThreshold[s] ? 1 : 0);
            }
            entry[j] = tableOffset[j] + index * (featureStart[j + 1] - featureStart[j]);
        }
        for (int j = 0; j < rootNode.length; j++) {
            int from = featureStart[j];
            int width = featureStart[j + 1] - from;
            int base = entry[j];
            for (int i = 0; i < width; i++) {
                acc[offset + rootFeatures[from + i]] += table[base + i];
            }
        }
    }

    /** Appends the row's directions at root j's splits to its mask there: the index of its table entry. */
    private void directions(int j, float[] x, int count, int block, int[] entry, int at) {
        int from = splitStart[j];
        int to = splitStart[j + 1];
        for (int r = 0; r < count; r++) {
            int index = entry[at + r];
            for (int s = from; s < to; s++) {
                index = index << 1 | (x[splitFeature[s] * block + r] < splitThreshold[s] ? 1 : 0);
            }
            entry[at + r] = index;
        }
    }

    /** {@link #directions} for a full subtree of height 2, its three comparisons written out. */
    private void directionsThree(int j, float[] x, int count, int block, int[] entry, int at) {
        int s = splitStart[j];
        int f0 = splitFeature[s] * block;
        int f1 = splitFeature[s + 1] * block;
        int f2 = splitFeature[s + 2] * block;
        float t0 = splitThreshold[s];
        float t1 = splitThreshold[s + 1];
        float t2 = splitThreshold[s + 2];
        for (int r = 0; r < count; r++) {
            entry[at + r] = entry[at + r] << 3 | (x[f0 + r] < t0 ? 4 : 0) | (x[f1 + r] < t1 ? 2 : 0)
                    | (x[f2 + r] < t2 ? 1 : 0);
        }
    }

    /** {@link #directions} for a full subtree of height 3, its seven comparisons written out. */
    private void directionsSeven(int j, float[] x, int count, int block, int[] entry, int at) {
        int s = splitStart[j];
        int f0 = splitFeature[s] * block;
        int f1 = splitFeature[s + 1] * block;
        int f2 = splitFeature[s + 2] * block;
        int f3 = splitFeature[s + 3] * block;
        int f4 = splitFeature[s + 4] * block;
        int f5 = splitFeature[s + 5] * block;
        int f6 = splitFeature[s + 6] * block;
        float t0 = splitThreshold[s];
        float t1 = splitThreshold[s + 1];
        float t2 = splitThreshold[s + 2];
        float t3 = splitThreshold[s + 3];
        float t4 = splitThreshold[s + 4];
        float t5 = splitThreshold[s + 5];
        float t6 = splitThreshold[s + 6];
        for (int r = 0; r < count; r++) {
            entry[at + r] = entry[at + r] << 7 | (x[f0 + r] < t0 ? 64 : 0) | (x[f1 + r] < t1 ? 32 : 0)
                    | (x[f2 + r] < t2 ? 16 : 0) | (x[f3 + r] < t3 ? 8 : 0) | (x[f4 + r] < t4 ? 4 : 0)
                    | (x[f5 + r] < t5 ? 2 : 0) | (x[f6 + r] < t6 ? 1 : 0);
        }
    }

    /** Adds each row's table entry of root j, feature by feature so the sums are read in sequence. */
    private void gather(int j, int count, int[] entry, int at, float[] acc, int block, int offset) {
        int from = featureStart[j];
        int width = featureStart[j + 1] - from;
        int base = tableOffset[j];
        for (int r = 0; r < count; r++) {
            entry[at + r] = base + entry[at + r] * width;
        }
        for (int i = 0; i < width; i++) {
            int sums = (offset + rootFeatures[from + i]) * block;
            for (int r = 0; r < count; r++) {
                acc[sums + r] += table[entry[at + r] + i];
            }
        }
    }

    /** The masks of the upper nodes' children, branch free: children are consecutive. */
    private void carryMasks(float[] x, int r, int block, int[] masks) {
        masks[0] = 0;
        for (int i = 0; i < upperNode.length; i++) {
            int mask = masks[upperNode[i]];
            int left = x[upperFeature[i] * block + r] < upperThreshold[i] ? -1 : 0;
            int taken = mask | upperFresh[i];
            int other = mask & upperClear[i];
            int toLeft = (taken & left) | (other & ~left);
            masks[upperLeft[i]] = toLeft;
            masks[upperLeft[i] + 1] = taken ^ other ^ toLeft;
        }
    }

    int roots() {
        return rootNode.length;
    }

    /** Each node's height: the longest way down to a leaf. Children come after their parent. */
    private static int[] heights(LeafPaths.Builder b) {
        int[] height = new int[b.left.length];
        for (int n = b.left.length - 1; n >= 0; n--) {
            if (b.left[n] >= 0) {
                height[n] = 1 + Math.max(height[b.left[n]], height[b.right[n]]);
            }
        }
        return height;
    }

    /** Each node's count of distinct features on its root path. */
    private static int[] pathLengths(LeafPaths.Builder b) {
        int[] k = new int[b.left.length];
        for (int n = 0; n < b.left.length; n++) {
            if (b.left[n] >= 0) {
                int child = k[n] + (b.fresh[n] ? 1 : 0);
                k[b.left[n]] = child;
                k[b.right[n]] = child;
            }
        }
        return k;
    }

    /** The chosen cut of one tree: upper nodes, table roots and the floats their tables take. */
    static final class Plan {
        final LeafPaths.Builder b;
        final int features;
        final List<Integer> upper = new ArrayList<>();
        final List<Root> roots = new ArrayList<>();
        long floats;

        Plan(LeafPaths.Builder b, int features) {
            this.b = b;
            this.features = features;
        }

        long bytes() {
            return floats * Float.BYTES;
        }
    }

    /**
     * A table root: its node, its k path features, its internal splits breadth first, its leaves
     * and the union of the features on their paths (the root's path features first, in path order).
     */
    private record Root(int node, int k, List<Integer> splits, List<Integer> leaves, List<int[]> paths,
            List<Integer> union) {
        /** Breadth first from {@code node}; a leaf's path: per split, its index among the splits × 2 + went left. */
        static Root of(LeafPaths.Builder b, int node, int k) {
            List<Integer> splits = new ArrayList<>();
            List<Integer> leaves = new ArrayList<>();
            List<int[]> paths = new ArrayList<>();
            List<Integer> queue = new ArrayList<>(List.of(node));
            List<int[]> queuePaths = new ArrayList<>(List.of(new int[0]));
            for (int i = 0; i < queue.size(); i++) {
                int n = queue.get(i);
                int[] path = queuePaths.get(i);
                if (b.left[n] < 0) {
                    leaves.add(n);
                    paths.add(path);
                    continue;
                }
                int s = splits.size();
                splits.add(n);
                int[] toLeft = Arrays.copyOf(path, path.length + 1);
                toLeft[path.length] = s << 1 | 1;
                int[] toRight = Arrays.copyOf(path, path.length + 1);
                toRight[path.length] = s << 1;
                queue.add(b.left[n]);
                queuePaths.add(toLeft);
                queue.add(b.right[n]);
                queuePaths.add(toRight);
            }
            List<Integer> union = new ArrayList<>();
            for (int leaf : leaves) {
                int l = b.leafOf[leaf];
                for (int i = 0; i < b.pathLength.get(l); i++) {
                    int f = b.pathFeatures.get(b.pathStart.get(l) + i);
                    if (!union.contains(f)) {
                        union.add(f);
                    }
                }
            }
            return new Root(node, k, splits, leaves, paths, union);
        }

        long bytes() {
            return (long) union.size() * Float.BYTES << Math.min(40, k + splits.size());
        }

        /** Writes this root's table at {@code offset}; returns the offset after it. */
        int fill(LeafPaths.Builder b, float[] table, int offset, LeafPaths.Scratch scratch) {
            int m = splits.size();
            int width = union.size();
            double[][] leafTables = new double[leaves.size()][];
            int[][] columns = new int[leaves.size()][];
            for (int j = 0; j < leaves.size(); j++) {
                int l = b.leafOf[leaves.get(j)];
                leafTables[j] = leafTable(b, l, scratch);
                columns[j] = new int[b.pathLength.get(l)];
                for (int i = 0; i < columns[j].length; i++) {
                    columns[j][i] = union.indexOf(b.pathFeatures.get(b.pathStart.get(l) + i));
                }
            }
            double[] sum = new double[width];
            for (long index = 0; index < 1L << (k + m); index++) {
                Arrays.fill(sum, 0);
                for (int j = 0; j < leaves.size(); j++) {
                    int mask = leafMask(b, j, (int) (index >>> m), (int) index, m);
                    int kl = columns[j].length;
                    for (int i = 0; i < kl; i++) {
                        sum[columns[j][i]] += leafTables[j][mask * kl + i];
                    }
                }
                for (int i = 0; i < width; i++) {
                    table[offset++] = (float) sum[i];
                }
            }
            return offset;
        }

        /**
         * The mask at leaf j given the root's mask and the directions (bit m − 1 − s: the row goes
         * left at split s): each split on the way sets its feature's bit if new on the path and
         * followed, and clears it if not followed.
         */
        private int leafMask(LeafPaths.Builder b, int j, int mask, int directions, int m) {
            int[] path = paths.get(j);
            for (int step = 0; step < path.length; step++) {
                int s = path[step] >> 1;
                int split = splits.get(s);
                boolean follows = (directions >>> (m - 1 - s) & 1) == (path[step] & 1);
                int bit = 1 << b.bit[split];
                if (b.fresh[split]) {
                    mask = follows ? mask | bit : mask;
                } else if (!follows) {
                    mask &= ~bit;
                }
            }
            return mask;
        }

        /** The leaf's contributions for each of its 2^k masks, in double. */
        private static double[] leafTable(LeafPaths.Builder b, int l, LeafPaths.Scratch scratch) {
            int kl = b.pathLength.get(l);
            double[] z = b.z(l);
            double[] out = new double[kl * (1 << kl)];
            double[] contribution = new double[kl + 1];
            for (int mask = 0; mask < 1 << kl; mask++) {
                LeafPaths.leaf(kl, z, b.value.get(l), mask, contribution, scratch);
                System.arraycopy(contribution, 0, out, mask * kl, kl);
            }
            return out;
        }
    }
}
