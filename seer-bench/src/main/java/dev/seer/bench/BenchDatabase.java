package dev.seer.bench;

import dev.seer.core.home.FileTrees;
import dev.seer.metadata.MetadataConfig;
import dev.seer.metadata.MetadataDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/** A fresh metadata database for one measurement: a temporary SQLite home or a PostgreSQL schema of its own. */
final class BenchDatabase implements AutoCloseable {
    static final String PG_URL = System.getenv().getOrDefault("SEER_BENCH_POSTGRES_URL",
            "jdbc:postgresql://127.0.0.1:5432/test");
    static final String PG_USER = System.getenv().getOrDefault("SEER_BENCH_POSTGRES_USER", "postgres");

    final MetadataDatabase database;
    final String url;
    final String schema;
    final Path directory;
    boolean keep;

    private BenchDatabase(MetadataDatabase database, String url, String schema, Path directory) {
        this.database = database;
        this.url = url;
        this.schema = schema;
        this.directory = directory;
    }

    static BenchDatabase open(String backend) throws Exception {
        if (backend.equals("sqlite")) {
            return sqlite(Files.createTempDirectory("seer-bench"));
        }
        String schema = "seer_bench_" + Long.toHexString(System.nanoTime());
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, ""); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        String url = PG_URL + "?currentSchema=" + schema;
        return new BenchDatabase(MetadataDatabase.open(new MetadataConfig(url, PG_USER, "", 4), Path.of(".")), url, schema, null);
    }

    static BenchDatabase sqlite(Path directory) {
        return new BenchDatabase(MetadataDatabase.open(new MetadataConfig("", "", "", 4), directory), "", null, directory);
    }

    @Override
    public void close() throws Exception {
        database.close();
        if (keep) {
            return;
        }
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, ""); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
        if (directory != null) {
            FileTrees.delete(directory);
        }
    }
}
