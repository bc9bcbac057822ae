package dev.seer.metadata;

import dev.seer.testing.PostgresDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;

/** The catalog contract against a real PostgreSQL, in schemas of its own. */
@Tag("integration")
class PostgresCatalogTest extends JdbcCatalogContract {
    private final List<PostgresDatabase> schemas = new ArrayList<>();

    @Override
    MetadataConfig freshConfig() {
        PostgresDatabase postgres = PostgresDatabase.create();
        schemas.add(postgres);
        return new MetadataConfig(postgres.url(), postgres.user(), "", 4);
    }

    @Override
    String migrationLocation() {
        return "classpath:db/migration/postgresql";
    }

    @Override
    Connection rawConnection() throws SQLException {
        return schemas.get(0).connect();
    }

    @Override
    void close() throws Exception {
        super.close();
        for (PostgresDatabase postgres : schemas) {
            postgres.close();
        }
        schemas.clear();
    }
}
