package dev.seer.serving.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EntityFilterTest {
    @Test
    void noFalseNegativesAndFewFalsePositivesAtItsSizing() {
        // 1 MiB of segment: 65,536 bits; 4,096 records of 256 bytes with two keys each, 8,192 pairs, 8 bits a pair.
        EntityFilter filter = EntityFilter.forBytes(1 << 20);
        for (int i = 0; i < 4096; i++) {
            filter.add(Map.of("customer_id", "c" + i, "region", "r" + i));
        }
        for (int i = 0; i < 4096; i++) {
            assertThat(filter.mayContain(Map.of("customer_id", "c" + i))).isTrue();
            assertThat(filter.mayContain(Map.of("customer_id", "c" + i, "region", "r" + i))).isTrue();
        }
        int falsePositives = 0;
        for (int i = 4096; i < 14_096; i++) {
            if (filter.mayContain(Map.of("customer_id", "c" + i))) {
                falsePositives++;
            }
        }
        // Bloom's rate (1 - e^(-kn/m))^k with k = 5, n = 8192, m = 65536: 2.2 %.
        assertThat(falsePositives / 10_000.0).isBetween(0.005, 0.05);
        assertThat(filter.mayContain(Map.of("customer_id", "c1", "region", "r2"))).as("pairs, not keys alone").isTrue();
        assertThat(filter.mayContain(Map.of())).isTrue();
    }
}
