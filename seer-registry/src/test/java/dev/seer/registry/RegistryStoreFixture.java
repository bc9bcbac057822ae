package dev.seer.registry;

import dev.seer.metadata.AuditConfig;
import dev.seer.metadata.AuditEntry;
import dev.seer.metadata.AuditLog;
import dev.seer.metadata.AuditQuery;
import dev.seer.metadata.MetadataConfig;
import dev.seer.metadata.MetadataDatabase;
import dev.seer.testing.MutableClock;
import dev.seer.testing.PostgresDatabase;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real metadata database (SQLite in a temporary home, or PostgreSQL in a schema of its own,
 * as the subclass's {@link #config} says), its audit log and a clock the test moves: what every
 * store of the registry is tested on.
 */
public abstract class RegistryStoreFixture {
    public static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");

    @TempDir
    public Path home;

    public MutableClock clock;
    public MetadataDatabase database;
    public AuditLog audit;

    /** A schema of its own on the test PostgreSQL, when {@link #config} asked for one; dropped after each test. */
    private PostgresDatabase postgres;

    public abstract MetadataConfig config();

    /** For {@link #config}: PostgreSQL, in a fresh schema (skipped, outside CI, when it is down). */
    public MetadataConfig postgresConfig() {
        postgres = PostgresDatabase.create();
        return new MetadataConfig(postgres.url(), postgres.user(), "", 4);
    }

    @BeforeEach
    void openDatabase() {
        clock = new MutableClock(T0);
        database = MetadataDatabase.open(config(), home);
        audit = new AuditLog(database, clock, AuditConfig.SECTION.defaults());
    }

    @AfterEach
    void closeDatabase() throws Exception {
        if (audit != null) {
            audit.close();
        }
        if (database != null) {
            database.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    /** The actions audited so far, oldest first. */
    public List<String> auditedActions() {
        return audit.query(AuditQuery.all().page(0, 500)).entries().stream().map(AuditEntry::action).toList();
    }
}
