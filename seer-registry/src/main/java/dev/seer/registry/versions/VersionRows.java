package dev.seer.registry.versions;

import dev.seer.core.Json;
import dev.seer.registry.RegistrySql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The SQL of the registry tables, the same on SQLite and PostgreSQL; every value a bound parameter. */
final class VersionRows {
    private VersionRows() {}

    static int update(Connection c, String sql, Object... parameters) throws SQLException {
        return RegistrySql.update(c, sql, parameters);
    }

    private static void bind(PreparedStatement s, Object... parameters) throws SQLException {
        RegistrySql.bind(s, parameters);
    }

    static boolean modelExists(Connection c, String name) throws SQLException {
        return exists(c, "SELECT 1 FROM registered_models WHERE name = ?", name);
    }

    private static boolean exists(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, parameters);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    static List<RegisteredModel> models(Connection c, String where, Object... parameters) throws SQLException {
        Map<String, Map<String, String>> tags = pairs(c, "SELECT name, key, value FROM registered_model_tags ORDER BY key");
        Map<String, Map<String, Integer>> aliases = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT name, alias, version FROM model_aliases ORDER BY alias");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                aliases.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getInt(3));
            }
        }
        List<RegisteredModel> models = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT name, description, creation_time, last_update_time"
                + " FROM registered_models " + where + " ORDER BY name")) {
            bind(s, parameters);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    models.add(new RegisteredModel(name, rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                            Instant.ofEpochMilli(rs.getLong(4)), tags.getOrDefault(name, Map.of()),
                            aliases.getOrDefault(name, Map.of())));
                }
            }
        }
        return models;
    }

    private static Map<String, Map<String, String>> pairs(Connection c, String sql, Object... parameters)
            throws SQLException {
        Map<String, Map<String, String>> pairs = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, parameters);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    pairs.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getString(3));
                }
            }
        }
        return pairs;
    }

    /** Inserts the next version and returns its number; a run it names must exist. */
    static int insertVersion(Connection c, String name, ModelRegistry.NewVersion request, long now, String actor)
            throws SQLException {
        if (request.runId().isPresent() && !exists(c, "SELECT 1 FROM runs WHERE run_id = ?", request.runId().get())) {
            throw ModelRegistry.notFound("Run [" + request.runId().get() + "] does not exist", "run", request.runId().get());
        }
        int version;
        try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(MAX(version), 0) + 1 FROM model_versions WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                version = rs.getInt(1);
            }
        }
        update(c, "INSERT INTO model_versions (name, version, creation_time, last_update_time, description, user_id, source,"
                + " run_id, status, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'READY', ?)", name, version, now, now,
                request.description(), actor, request.source(), request.runId().orElse(null),
                Json.write(VersionDetails.CODEC.encode(request.details())));
        for (Map.Entry<String, String> tag : request.tags().entrySet()) {
            update(c, "INSERT INTO model_version_tags (name, version, key, value) VALUES (?, ?, ?, ?)", name, version,
                    tag.getKey(), tag.getValue());
        }
        update(c, "UPDATE registered_models SET last_update_time = ? WHERE name = ?", now, name);
        return version;
    }

    /** The versions of {@code name} (one, or all oldest first) with their tags, aliases and checks. */
    static List<ModelVersion> versions(Connection c, String name, Optional<Integer> only) throws SQLException {
        String which = only.isPresent() ? " AND version = ?" : "";
        Object[] parameters = only.isPresent() ? new Object[] {name, only.get()} : new Object[] {name};
        Map<String, Map<String, String>> tags = pairs(c, "SELECT CAST(version AS TEXT), key, value FROM model_version_tags"
                + " WHERE name = ?" + which + " ORDER BY key", parameters);
        Map<Integer, List<String>> aliases = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT version, alias FROM model_aliases WHERE name = ?" + which
                + " ORDER BY alias")) {
            bind(s, parameters);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    aliases.computeIfAbsent(rs.getInt(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        Map<Integer, List<VersionCheck>> checks = checks(c, which, parameters);
        List<ModelVersion> versions = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT version, creation_time, last_update_time, description,"
                + " user_id, source, run_id, details FROM model_versions WHERE name = ?" + which + " ORDER BY version")) {
            bind(s, parameters);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    int version = rs.getInt(1);
                    versions.add(new ModelVersion(name, version, Instant.ofEpochMilli(rs.getLong(2)),
                            Instant.ofEpochMilli(rs.getLong(3)), rs.getString(4), rs.getString(5), rs.getString(6),
                            Optional.ofNullable(rs.getString(7)), VersionDetails.CODEC.decode(Json.parse(rs.getString(8))),
                            tags.getOrDefault(Integer.toString(version), Map.of()), aliases.getOrDefault(version, List.of()),
                            checks.getOrDefault(version, List.of())));
                }
            }
        }
        return versions;
    }

    private static Map<Integer, List<VersionCheck>> checks(Connection c, String which, Object[] parameters)
            throws SQLException {
        Map<Integer, List<VersionCheck>> checks = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT version, check_name, passed, detail, recorded_at, actor"
                + " FROM model_version_checks WHERE name = ?" + which + " ORDER BY check_name")) {
            bind(s, parameters);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    checks.computeIfAbsent(rs.getInt(1), k -> new ArrayList<>()).add(new VersionCheck(rs.getString(2),
                            rs.getBoolean(3), rs.getString(4), Instant.ofEpochMilli(rs.getLong(5)), rs.getString(6)));
                }
            }
        }
        return checks;
    }

    static Optional<String> protectingCheck(Connection c, String name, String alias) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT check_name FROM protected_aliases WHERE name = ? AND alias = ?")) {
            bind(s, name, alias);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    static boolean checkPassed(Connection c, String name, int version, String check) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT passed FROM model_version_checks WHERE name = ? AND version = ?"
                + " AND check_name = ?")) {
            bind(s, name, version, check);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** Keeps the move in the history and sets (or removes) the alias's current version. */
    static void recordMove(Connection c, AliasMove move) throws SQLException {
        update(c, "INSERT INTO alias_moves (name, alias, version, moved_at, actor, reason, grounds) VALUES (?, ?, ?, ?, ?, ?, ?)",
                move.name(), move.alias(), move.version().orElse(null), move.at().toEpochMilli(), move.actor(), move.reason(),
                move.grounds());
        if (move.version().isPresent()) {
            update(c, "INSERT INTO model_aliases (name, alias, version) VALUES (?, ?, ?) ON CONFLICT (name, alias)"
                    + " DO UPDATE SET version = excluded.version", move.name(), move.alias(), move.version().get());
        } else {
            update(c, "DELETE FROM model_aliases WHERE name = ? AND alias = ?", move.name(), move.alias());
        }
        update(c, "UPDATE registered_models SET last_update_time = ? WHERE name = ?", move.at().toEpochMilli(), move.name());
    }

    static List<AliasMove> moves(Connection c, String name) throws SQLException {
        List<AliasMove> moves = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT alias, version, moved_at, actor, reason, grounds FROM alias_moves"
                + " WHERE name = ? ORDER BY moved_at, seq")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    int version = rs.getInt(2);
                    Optional<Integer> to = rs.wasNull() ? Optional.empty() : Optional.of(version);
                    moves.add(new AliasMove(name, rs.getString(1), to, Instant.ofEpochMilli(rs.getLong(3)), rs.getString(4),
                            rs.getString(5), rs.getString(6)));
                }
            }
        }
        return moves;
    }

    /** The last move of the alias at or before {@code atMillis}: its version, or empty if removed or never set. */
    static Optional<Integer> versionAt(Connection c, String name, String alias, long atMillis) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT version FROM alias_moves WHERE name = ? AND alias = ?"
                + " AND moved_at <= ? ORDER BY moved_at DESC, seq DESC LIMIT 1")) {
            bind(s, name, alias, atMillis);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                int version = rs.getInt(1);
                return rs.wasNull() ? Optional.empty() : Optional.of(version);
            }
        }
    }
}
