package dev.seer.monitoring.watch;

import static java.util.Objects.requireNonNull;

import dev.seer.metadata.MetadataConfig;
import dev.seer.metadata.MetadataDatabase;
import dev.seer.testing.PostgresDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metadata store under a test of monitoring's own tables, of either kind: SQLite in the test's
 * folder, or PostgreSQL in a schema of its own ({@link PostgresDatabase}: skipped outside CI,
 * failed under CI, when no server runs). A test class writes its cases once in an abstract nested
 * class extending this one, and two nested classes choose the kind:
 * {@code @Nested class OnSqlite extends Cases { OnSqlite() { super(Kind.SQLITE); } }}. A copy of
 * seer-serving's test class of the same name: test classes are not shared between modules, and
 * seer-testing cannot see seer-metadata (whose tests use it).
 */
abstract class MetadataBackend {
    /** Which metadata store. */
    public enum Kind { SQLITE, POSTGRESQL }

    @TempDir
    protected Path home;

    private final Kind kind;
    private PostgresDatabase postgres;
    private MetadataDatabase database;

    protected MetadataBackend(Kind kind) {
        this.kind = requireNonNull(kind, "kind is null");
    }

    /** Opens the store of this kind in {@link #home} (PostgreSQL: a new schema); closed after the test. */
    protected MetadataDatabase openDatabase() {
        MetadataConfig config = switch (kind) {
            case SQLITE -> new MetadataConfig("", "", "", 4);
            case POSTGRESQL -> {
                postgres = PostgresDatabase.create();
                yield new MetadataConfig(postgres.url(), postgres.user(), "", 4);
            }
        };
        database = MetadataDatabase.open(config, home);
        return database;
    }

    /** Runs after the test class's own {@code @AfterEach} methods, so what they close over the store goes first. */
    @AfterEach
    void closeDatabase() throws Exception {
        if (database != null) {
            database.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }
}
