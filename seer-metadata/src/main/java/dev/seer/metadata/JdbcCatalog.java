package dev.seer.metadata;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.Sha256;
import dev.seer.core.Times;
import dev.seer.core.audit.AuditRecord;
import dev.seer.core.catalog.Catalog;
import dev.seer.core.catalog.CatalogEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The catalog in the metadata database. Each new version is audited as {@code <kind>.recorded}. */
public final class JdbcCatalog implements Catalog {
    private static final String COLUMNS = "kind, name, version, body, body_hash, created_micros, created_by";
    /**
     * Each lost race means another writer's version was recorded, so retrying always makes
     * progress; the bound only has to exceed the writers that may race for one name at once
     * (5 was too few: in the contract test, one of 4 threads writing 12 versions lost 5 in a row).
     */
    private static final int MAX_ATTEMPTS = 100;

    private final MetadataDatabase database;
    private final AuditLog audit;
    private final Clock clock;

    public JdbcCatalog(MetadataDatabase database, AuditLog audit, Clock clock) {
        this.database = requireNonNull(database, "database is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public Put put(String kind, String name, JsonNode body, String actor) {
        String canonical = Json.canonical(body);
        String hash = Sha256.hex(canonical);
        for (int attempt = 1; ; attempt++) {
            Optional<CatalogEntry> latest = latest(kind, name);
            if (latest.isPresent() && latest.get().bodyHash().equals(hash)) {
                return new Put(latest.get(), false);
            }
            CatalogEntry entry = new CatalogEntry(kind, name, latest.map(e -> e.version() + 1).orElse(1),
                    Json.parse(canonical), hash, clock.instant(), actor);
            try {
                insert(entry, canonical);
            } catch (SQLException e) {
                if (attempt < MAX_ATTEMPTS && isDuplicate(e)) {
                    continue; // another writer took this version number: read again
                }
                throw failure("Recording " + kind + " [" + name + "]", e);
            }
            audit.appendAndWait(new AuditRecord(actor, kind + ".recorded", kind, name,
                    Json.object().put("version", entry.version()).put("body_hash", hash)));
            return new Put(entry, true);
        }
    }

    @Override
    public Optional<CatalogEntry> create(String kind, String name, JsonNode body, List<Term> terms, String actor) {
        checkTerms(terms);
        String canonical = Json.canonical(body);
        CatalogEntry entry = new CatalogEntry(kind, name, 1, Json.parse(canonical), Sha256.hex(canonical),
                clock.instant(), actor);
        try {
            insert(entry, canonical, terms); // the primary key (kind, name, version) decides a race
        } catch (SQLException e) {
            if (isDuplicate(e)) {
                return Optional.empty();
            }
            throw failure("Recording " + kind + " [" + name + "]", e);
        }
        audit.appendAndWait(new AuditRecord(actor, kind + ".recorded", kind, name,
                Json.object().put("version", 1).put("body_hash", entry.bodyHash())));
        return Optional.of(entry);
    }

    @Override
    public Optional<CatalogEntry> latest(String kind, String name) {
        List<CatalogEntry> found = select("WHERE kind = ? AND name = ? ORDER BY version DESC LIMIT 1", kind, name);
        return found.stream().findFirst();
    }

    @Override
    public Optional<CatalogEntry> version(String kind, String name, int version) {
        return select("WHERE kind = ? AND name = ? AND version = ?", kind, name, version).stream().findFirst();
    }

    @Override
    public List<CatalogEntry> versions(String kind, String name) {
        return select("WHERE kind = ? AND name = ? ORDER BY version", kind, name);
    }

    @Override
    public List<CatalogEntry> filed(String kind, String term, int limit) {
        return select("e JOIN catalog_term t ON t.kind = e.kind AND t.name = e.name AND t.version = e.version"
                + " WHERE t.kind = ? AND t.term = ? ORDER BY t.term_rank DESC, t.name LIMIT ?", kind, term, Math.max(0, limit));
    }

    @Override
    public List<CatalogEntry> latestOfKind(String kind) {
        return select("e WHERE kind = ? AND version = (SELECT MAX(version) FROM catalog_entry m"
                + " WHERE m.kind = e.kind AND m.name = e.name) ORDER BY name", kind);
    }

    private void insert(CatalogEntry entry, String canonical) throws SQLException {
        insert(entry, canonical, List.of());
    }

    /** The entry and its terms in one transaction: a reader sees both or neither. */
    private void insert(CatalogEntry entry, String canonical, List<Term> terms) throws SQLException {
        try (Connection c = database.dataSource().getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(terms.isEmpty());
            try {
                try (PreparedStatement statement = c.prepareStatement(
                        "INSERT INTO catalog_entry (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                    statement.setString(1, entry.kind());
                    statement.setString(2, entry.name());
                    statement.setInt(3, entry.version());
                    statement.setString(4, canonical);
                    statement.setString(5, entry.bodyHash());
                    statement.setLong(6, Times.toMicros(entry.created()));
                    statement.setString(7, entry.createdBy());
                    statement.executeUpdate();
                }
                if (!terms.isEmpty()) {
                    insertTerms(c, entry, terms);
                    c.commit();
                }
            } catch (SQLException | RuntimeException e) {
                if (!c.getAutoCommit()) {
                    c.rollback();
                }
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    private static void insertTerms(Connection c, CatalogEntry entry, List<Term> terms) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(
                "INSERT INTO catalog_term (kind, term, term_rank, name, version) VALUES (?, ?, ?, ?, ?)")) {
            for (Term term : new LinkedHashSet<>(terms)) { // the same term given twice is filed once
                statement.setString(1, entry.kind());
                statement.setString(2, term.term());
                statement.setLong(3, term.rank());
                statement.setString(4, entry.name());
                statement.setInt(5, entry.version());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private List<CatalogEntry> select(String where, Object... args) {
        List<CatalogEntry> entries = new ArrayList<>();
        String columns = where.startsWith("e ") ? "e.kind, e.name, e.version, e.body, e.body_hash, e.created_micros, e.created_by"
                : COLUMNS;
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement statement = c.prepareStatement("SELECT " + columns + " FROM catalog_entry " + where)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    entries.add(new CatalogEntry(rs.getString(1), rs.getString(2), rs.getInt(3), Json.parse(rs.getString(4)),
                            rs.getString(5), Times.ofMicros(rs.getLong(6)), rs.getString(7)));
                }
            }
        } catch (SQLException e) {
            throw failure("Reading the catalog", e);
        }
        return entries;
    }

    /** One rank per term: two would file the entry twice under it. */
    static void checkTerms(List<Term> terms) {
        Map<String, Long> ranks = new HashMap<>();
        for (Term term : terms) {
            Long other = ranks.putIfAbsent(term.term(), term.rank());
            if (other != null && other != term.rank()) {
                throw new IllegalArgumentException("Term [" + term.term() + "] is given with ranks [" + other + "] and ["
                        + term.rank() + "]");
            }
        }
    }

    private static boolean isDuplicate(SQLException e) {
        String state = e.getSQLState();
        return (state != null && state.startsWith("23")) || e.getErrorCode() == 19;
    }

    private static SeerException failure(String what, SQLException e) {
        return new SeerException(MetadataErrorCode.STORE_FAILURE, what + " failed: " + e.getMessage(), Map.of(), e);
    }
}
