package dev.seer.serving.deploy;

import java.nio.charset.StandardCharsets;

/**
 * Assigns a row to the champion or the challenger by a hash of the deployment's name and the
 * entity key, so one customer stays in one arm for as long as the split stands, and two
 * deployments split the same customers independently. The hash is 64-bit FNV-1a with a final
 * avalanche (SplitMix64's finaliser), stable across JVMs and releases: it must not change, or
 * customers would change arms on upgrade. A row without an entity key is assigned by its
 * prediction id, which is random.
 */
public final class ArmAssignment {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private ArmAssignment() {}

    /** The arm that answers for {@code key} (never {@link Arm#SHADOW}, which scores every row beside the champion). */
    public static Arm assign(Deployment deployment, String key) {
        if (deployment.challenger().isEmpty()) {
            return Arm.CHAMPION;
        }
        return bucket(deployment.name(), key) < deployment.challengerPercent() * 100 ? Arm.CHALLENGER : Arm.CHAMPION;
    }

    /** The key's bucket in [0, 10000). */
    static int bucket(String deployment, String key) {
        long h = FNV_OFFSET;
        for (byte b : deployment.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * FNV_PRIME;
        }
        h = (h ^ 0) * FNV_PRIME; // a separator, so ("ab", "c") and ("a", "bc") differ
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * FNV_PRIME;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        h ^= h >>> 31;
        return (int) Long.remainderUnsigned(h, 10_000);
    }
}
