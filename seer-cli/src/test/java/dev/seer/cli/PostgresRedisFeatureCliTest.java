package dev.seer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The feature flow of {@link FeatureCliTest} with the metadata in PostgreSQL (a schema per test)
 * and the online store in Redis (a key prefix per test). Outside CI a missing service skips
 * with the reason; under CI it fails.
 */
@Tag("integration")
class PostgresRedisFeatureCliTest extends FeatureCliTest {
    @Override
    CliHome open(Path root) {
        return CliHome.onPostgresAndRedis(root);
    }

    @Test
    void theHomeKeepsNothingOfItsStoresItself() throws Exception {
        planAndApply();
        ingest();
        materialise();
        assertThat(home.root.resolve("metadata.db")).doesNotExist();
        assertThat(home.root.resolve("online")).doesNotExist();
        assertThat(home.count("SELECT count(*) FROM catalog_entry WHERE kind = 'feature_view'")).isEqualTo(2);
        // One hash per entity materialised (20 customers of customer_stats), and the marker of the
        // materialised generation (OnlineGuard's, by which a store that lost its contents is noticed).
        assertThat(home.redisKeys()).contains(21L);
    }
}
