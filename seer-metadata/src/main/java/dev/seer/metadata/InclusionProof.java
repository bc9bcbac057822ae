package dev.seer.metadata;

import java.util.List;

/** RFC 9162 audit path proving that entry {@code seq} is in the tree of {@code treeSize} entries. */
public record InclusionProof(long seq, long treeSize, String leafHash, List<String> path, String rootHash) {
    public InclusionProof {
        path = List.copyOf(path);
    }

    /** Checks the proof on its own, from the hashes it carries. */
    public boolean verify() {
        var hex = java.util.HexFormat.of();
        return MerkleTree.verifyInclusion((int) (seq - 1), (int) treeSize, hex.parseHex(leafHash),
                path.stream().map(hex::parseHex).toList(), hex.parseHex(rootHash));
    }
}
