package dev.seer.metadata;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Merkle tree over leaf hashes, with the audit paths and consistency proofs of RFC 9162
 * (Certificate Transparency 2.0), section 2.1, and their verification.
 *
 * <p>Design: the leaves are held in one flat array (32 bytes each) because a verify pass builds
 * the tree of the whole log; a million leaves is 32 MB. The root is computed bottom-up, pairing
 * nodes level by level and carrying an odd last node up unchanged, which yields exactly the
 * RFC's recursive MTH (its left subtree is always the largest power of two). Proofs use the
 * RFC's recursive definitions PATH and SUBPROOF over subtree hashes; they are asked for one at a
 * time, so their O(n) subtree hashing is acceptable.
 */
final class MerkleTree {
    private final byte[] leaves;
    private final int size;

    MerkleTree(byte[] leaves, int size) {
        if (leaves.length < size * AuditHashing.HASH_BYTES) {
            throw new IllegalArgumentException("leaf array holds fewer than " + size + " hashes");
        }
        this.leaves = leaves;
        this.size = size;
    }

    int size() {
        return size;
    }

    /** MTH of the first {@code n} leaves; the hash of the empty string for n = 0. */
    byte[] root(int n) {
        return subtreeHash(0, n);
    }

    byte[] root() {
        return root(size);
    }

    /** RFC 9162 2.1.3.1: the audit path of leaf {@code index} in the tree of the first {@code n} leaves. */
    List<byte[]> inclusionPath(int index, int n) {
        checkRange(index, n);
        List<byte[]> path = new ArrayList<>();
        path(index, 0, n, path);
        return path;
    }

    /** RFC 9162 2.1.4.1: the proof that the tree of {@code n} leaves extends the one of {@code m}. */
    List<byte[]> consistencyProof(int m, int n) {
        if (m < 1 || m > n || n > size) {
            throw new IllegalArgumentException("consistency proof needs 0 < m <= n <= size; got m=" + m + ", n=" + n);
        }
        List<byte[]> proof = new ArrayList<>();
        if (m < n) {
            subproof(m, 0, n, true, proof);
        }
        return proof;
    }

    private void path(int index, int start, int n, List<byte[]> out) {
        if (n <= 1) {
            return;
        }
        int k = largestPowerOfTwoBelow(n);
        if (index < k) {
            path(index, start, k, out);
            out.add(subtreeHash(start + k, n - k));
        } else {
            path(index - k, start + k, n - k, out);
            out.add(subtreeHash(start, k));
        }
    }

    private void subproof(int m, int start, int n, boolean complete, List<byte[]> out) {
        if (m == n) {
            if (!complete) {
                out.add(subtreeHash(start, n));
            }
            return;
        }
        int k = largestPowerOfTwoBelow(n);
        if (m <= k) {
            subproof(m, start, k, complete, out);
            out.add(subtreeHash(start + k, n - k));
        } else {
            subproof(m - k, start + k, n - k, false, out);
            out.add(subtreeHash(start, k));
        }
    }

    /** MTH of leaves [start, start + n), bottom-up, each level in one flat array. */
    byte[] subtreeHash(int start, int n) {
        if (n == 0) {
            return sha256Empty();
        }
        final int h = AuditHashing.HASH_BYTES;
        byte[] level = Arrays.copyOfRange(leaves, start * h, (start + n) * h);
        int width = n;
        while (width > 1) {
            int next = 0;
            for (int i = 0; i + 1 < width; i += 2) {
                // Writing node i/2 only overwrites slots already consumed, so one array serves all levels.
                AuditHashing.nodeHash(level, i * h, (i + 1) * h, level, next++ * h);
            }
            if ((width & 1) == 1) {
                System.arraycopy(level, (width - 1) * h, level, next++ * h, h);
            }
            width = next;
        }
        return Arrays.copyOf(level, h);
    }

    /** RFC 9162 2.1.3.2: checks that {@code path} proves leaf {@code index} is in the tree {@code root} of size n. */
    static boolean verifyInclusion(int index, int n, byte[] leafHash, List<byte[]> path, byte[] root) {
        if (index < 0 || index >= n) {
            return false;
        }
        long fn = index;
        long sn = n - 1L;
        byte[] r = leafHash;
        for (byte[] p : path) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = AuditHashing.nodeHash(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = AuditHashing.nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(r, root);
    }

    /** RFC 9162 2.1.4.2: checks that {@code proof} shows tree (m, firstRoot) is a prefix of (n, secondRoot). */
    static boolean verifyConsistency(int m, int n, byte[] firstRoot, byte[] secondRoot, List<byte[]> proof) {
        if (m < 1 || m > n) {
            return false;
        }
        if (m == n) {
            return proof.isEmpty() && Arrays.equals(firstRoot, secondRoot);
        }
        if (proof.isEmpty()) {
            return false;
        }
        List<byte[]> path = new ArrayList<>(proof);
        if (Integer.bitCount(m) == 1) { // m is an exact power of two: its root starts the proof
            path.add(0, firstRoot);
        }
        long fn = m - 1L;
        long sn = n - 1L;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = AuditHashing.nodeHash(c, fr);
                sr = AuditHashing.nodeHash(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                sr = AuditHashing.nodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(fr, firstRoot) && Arrays.equals(sr, secondRoot);
    }

    private void checkRange(int index, int n) {
        if (n < 1 || n > size || index < 0 || index >= n) {
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + n + " leaves (log has " + size + ")");
        }
    }

    static int largestPowerOfTwoBelow(int n) {
        return Integer.highestOneBit(n - 1);
    }

    private static byte[] sha256Empty() {
        return dev.seer.core.Sha256.of(new byte[0]);
    }
}
