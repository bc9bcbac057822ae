package dev.seer.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {
    private static final HexFormat HEX = HexFormat.of();

    /** Leaves and roots of the Certificate Transparency reference tests (RFC 6962 hashing). */
    private static final String[] CT_LEAVES = {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
            "606162636465666768696a6b6c6d6e6f"};
    private static final String[] CT_ROOTS = {
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

    @Test
    void rootsMatchTheCertificateTransparencyReferenceVectors() throws Exception {
        byte[] leaves = new byte[CT_LEAVES.length * 32];
        for (int i = 0; i < CT_LEAVES.length; i++) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((byte) 0);
            digest.update(HEX.parseHex(CT_LEAVES[i]));
            System.arraycopy(digest.digest(), 0, leaves, i * 32, 32);
        }
        MerkleTree tree = new MerkleTree(leaves, CT_LEAVES.length);
        for (int n = 1; n <= CT_LEAVES.length; n++) {
            assertThat(HEX.formatHex(tree.root(n))).as("root of %d leaves", n).isEqualTo(CT_ROOTS[n - 1]);
        }
    }

    @Test
    void bottomUpRootEqualsTheRecursiveDefinitionForEverySize() {
        byte[] leaves = leaves(70);
        for (int n = 1; n <= 70; n++) {
            assertThat(new MerkleTree(leaves, 70).root(n)).as("n=%d", n).isEqualTo(recursiveRoot(leaves, 0, n));
        }
    }

    @Test
    void everyInclusionProofVerifiesAndATamperedOneDoesNot() {
        byte[] leaves = leaves(33);
        MerkleTree tree = new MerkleTree(leaves, 33);
        for (int n = 1; n <= 33; n++) {
            byte[] root = tree.root(n);
            for (int i = 0; i < n; i++) {
                List<byte[]> path = tree.inclusionPath(i, n);
                byte[] leaf = Arrays.copyOfRange(leaves, i * 32, i * 32 + 32);
                assertThat(MerkleTree.verifyInclusion(i, n, leaf, path, root)).as("leaf %d of %d", i, n).isTrue();
                if (!path.isEmpty()) {
                    List<byte[]> bad = new ArrayList<>(path);
                    bad.set(0, flip(bad.get(0)));
                    assertThat(MerkleTree.verifyInclusion(i, n, leaf, bad, root)).isFalse();
                }
                assertThat(MerkleTree.verifyInclusion(i, n, flip(leaf), path, root)).isFalse();
            }
        }
    }

    @Test
    void everyConsistencyProofVerifiesAndFailsAgainstAnotherHistory() {
        byte[] leaves = leaves(33);
        byte[] forked = leaves.clone();
        forked[3 * 32] ^= 1; // leaf 3 differs
        MerkleTree tree = new MerkleTree(leaves, 33);
        MerkleTree forkedTree = new MerkleTree(forked, 33);
        for (int n = 1; n <= 33; n++) {
            for (int m = 1; m <= n; m++) {
                List<byte[]> proof = tree.consistencyProof(m, n);
                assertThat(MerkleTree.verifyConsistency(m, n, tree.root(m), tree.root(n), proof))
                        .as("m=%d n=%d", m, n).isTrue();
                if (m > 3) {
                    assertThat(MerkleTree.verifyConsistency(m, n, forkedTree.root(m), tree.root(n), proof))
                            .as("forked m=%d n=%d", m, n).isFalse();
                }
            }
        }
    }

    @Test
    void theEmptyTreeHasTheHashOfNothing() throws Exception {
        assertThat(new MerkleTree(new byte[0], 0).root()).isEqualTo(MessageDigest.getInstance("SHA-256").digest());
    }

    private static byte[] leaves(int n) {
        byte[] leaves = new byte[n * 32];
        for (int i = 0; i < n; i++) {
            System.arraycopy(AuditHashing.leafHash(("leaf " + i).getBytes(StandardCharsets.UTF_8)), 0, leaves, i * 32, 32);
        }
        return leaves;
    }

    /** RFC 9162 2.1.1 MTH, written as the RFC states it. */
    private static byte[] recursiveRoot(byte[] leaves, int start, int n) {
        if (n == 1) {
            return Arrays.copyOfRange(leaves, start * 32, start * 32 + 32);
        }
        int k = 1;
        while (k * 2 < n) {
            k *= 2;
        }
        return AuditHashing.nodeHash(recursiveRoot(leaves, start, k), recursiveRoot(leaves, start + k, n - k));
    }

    private static byte[] flip(byte[] hash) {
        byte[] copy = hash.clone();
        copy[0] ^= 1;
        return copy;
    }
}
