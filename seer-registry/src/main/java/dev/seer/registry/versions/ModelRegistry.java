package dev.seer.registry.versions;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.audit.AuditRecord;
import dev.seer.core.audit.AuditSink;
import dev.seer.core.store.SqlDatabase;
import dev.seer.registry.RegistryErrorCode;
import dev.seer.registry.RegistrySchema;
import dev.seer.registry.RegistrySql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The model registry in the metadata store: registered models, their immutable versions, checks
 * recorded on a version, and aliases whose every move is kept, so that "which version was
 * {@code champion} at time T" has an answer for any T.
 *
 * <p>An alias can be protected by a named check: it then moves only to a version on which that
 * check passed, or with an override, whose reason is recorded (the API lets only an admin give
 * one). Removing a protected alias needs an override too: a champion does not silently vanish.
 * Each change is one transaction and then one audit entry.
 */
public final class ModelRegistry {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,255}");
    private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9_\\-]{1,255}");
    private static final Pattern RESERVED_ALIAS = Pattern.compile("(?i)latest|v\\d+");
    private static final int ATTEMPTS = 3;

    private final SqlDatabase database;
    private final AuditSink audit;
    private final Clock clock;

    public ModelRegistry(SqlDatabase database, AuditSink audit, Clock clock) {
        this.database = requireNonNull(database, "database is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.clock = requireNonNull(clock, "clock is null");
        RegistrySchema.migrate(database);
    }

    /** A new version: where its files are, the run that made it, what it is, and tags. */
    public record NewVersion(String source, Optional<String> runId, String description, VersionDetails details,
            Map<String, String> tags) {
        public NewVersion {
            requireNonNull(source, "source is null");
            requireNonNull(runId, "runId is null");
            requireNonNull(description, "description is null");
            requireNonNull(details, "details is null");
            tags = Map.copyOf(tags);
        }
    }

    public RegisteredModel createModel(String name, String description, Map<String, String> tags, String actor) {
        checkName(name);
        write("Registering model [" + name + "]", c -> {
            if (VersionRows.modelExists(c, name)) {
                throw new SeerException(RegistryErrorCode.ALREADY_EXISTS, "Registered model [" + name + "] already exists",
                        Map.of("model", name));
            }
            long now = clock.millis();
            VersionRows.update(c, "INSERT INTO registered_models (name, description, creation_time, last_update_time)"
                    + " VALUES (?, ?, ?, ?)", name, description, now, now);
            for (Map.Entry<String, String> tag : tags.entrySet()) {
                VersionRows.update(c, "INSERT INTO registered_model_tags (name, key, value) VALUES (?, ?, ?)", name,
                        tag.getKey(), tag.getValue());
            }
            return null;
        });
        audited(actor, "model.registered", name, Json.object().put("description", description));
        return model(name);
    }

    public RegisteredModel model(String name) {
        return read("Reading model [" + name + "]", c -> VersionRows.models(c, "WHERE name = ?", name)).stream().findFirst()
                .orElseThrow(() -> notFound("Registered model [" + name + "] does not exist", "model", name));
    }

    /** Every registered model, by name. */
    public List<RegisteredModel> models() {
        return read("Listing models", c -> VersionRows.models(c, ""));
    }

    /** Adds the next version of a registered model; versions are numbered from 1 and never change. */
    public ModelVersion createVersion(String name, NewVersion request, String actor) {
        model(name);
        int version = 0;
        for (int attempt = 1; version == 0; attempt++) {
            try {
                version = database.inTransaction(c -> VersionRows.insertVersion(c, name, request, clock.millis(), actor));
            } catch (SQLException e) {
                if (attempt == ATTEMPTS || !RegistrySql.isDuplicate(e)) {
                    throw failure("Adding a version of model [" + name + "]", e); // another writer took the number: again
                }
            }
        }
        audited(actor, "model.version_created", name + ":" + version, Json.object().put("source", request.source())
                .put("run_id", request.runId().orElse(null)));
        return version(name, version);
    }

    public ModelVersion version(String name, int version) {
        return read("Reading model " + name + ":" + version, c -> VersionRows.versions(c, name, Optional.of(version)))
                .stream().findFirst().orElseThrow(() -> notFound("Model version " + name + ":" + version
                        + " does not exist", "model_version", name + ":" + version));
    }

    /** Every version of a model, oldest first. */
    public List<ModelVersion> versions(String name) {
        model(name);
        return read("Reading versions of model [" + name + "]", c -> VersionRows.versions(c, name, Optional.empty()));
    }

    /** The version {@code alias} points at now. */
    public ModelVersion byAlias(String name, String alias) {
        Integer version = model(name).aliases().get(alias);
        if (version == null) {
            throw notFound("Model [" + name + "] has no alias [" + alias + "]", "alias", alias);
        }
        return version(name, version);
    }

    /** Records the outcome of a check on a version (again: the newer outcome replaces the older). */
    public VersionCheck recordCheck(String name, int version, String check, boolean passed, String detail, String actor) {
        checkAlias(check, "Check");
        version(name, version);
        Instant now = clock.instant();
        write("Recording check [" + check + "] on " + name + ":" + version, c -> VersionRows.update(c,
                "INSERT INTO model_version_checks (name, version, check_name, passed, detail, recorded_at, actor)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name, version, check_name) DO UPDATE SET"
                        + " passed = excluded.passed, detail = excluded.detail, recorded_at = excluded.recorded_at,"
                        + " actor = excluded.actor", name, version, check, passed, detail, now.toEpochMilli(), actor));
        audited(actor, "model.check_recorded", name + ":" + version, Json.object().put("check", check).put("passed", passed)
                .put("detail", detail));
        return new VersionCheck(check, passed, detail, now, actor);
    }

    /** From now on {@code alias} moves only to a version on which {@code check} passed, or with an override. */
    public void protect(String name, String alias, String check, String actor) {
        checkAlias(alias, "Alias");
        checkAlias(check, "Check");
        model(name);
        write("Protecting alias [" + alias + "] of model [" + name + "]", c -> VersionRows.update(c,
                "INSERT INTO protected_aliases (name, alias, check_name) VALUES (?, ?, ?) ON CONFLICT (name, alias)"
                        + " DO UPDATE SET check_name = excluded.check_name", name, alias, check));
        audited(actor, "model.alias_protected", name, Json.object().put("alias", alias).put("check", check));
    }

    /**
     * Points {@code alias} at {@code version}. A protected alias needs the version's check to have
     * passed, or an {@code override} (its reason), which the caller must allow only an admin.
     */
    public AliasMove setAlias(String name, String alias, int version, String reason, Optional<String> override,
            String actor) {
        checkAlias(alias, "Alias");
        version(name, version);
        return move(name, alias, Optional.of(version), reason, override, actor);
    }

    /** Removes {@code alias}; a protected one only with an override. */
    public AliasMove removeAlias(String name, String alias, String reason, Optional<String> override, String actor) {
        if (!model(name).aliases().containsKey(alias)) {
            throw notFound("Model [" + name + "] has no alias [" + alias + "]", "alias", alias);
        }
        return move(name, alias, Optional.empty(), reason, override, actor);
    }

    private AliasMove move(String name, String alias, Optional<Integer> version, String reason, Optional<String> override,
            String actor) {
        Instant at = clock.instant();
        String grounds = write("Moving alias [" + alias + "] of model [" + name + "]", c -> {
            String allowed = grounds(c, name, alias, version, override);
            VersionRows.recordMove(c, new AliasMove(name, alias, version, at, actor, reason, allowed));
            return allowed;
        });
        ObjectNode payload = Json.object().put("alias", alias).put("version", version.orElse(null)).put("reason", reason)
                .put("grounds", grounds);
        override.ifPresent(o -> payload.put("override", o));
        audited(actor, "model.alias_moved", name, payload);
        return new AliasMove(name, alias, version, at, actor, reason, grounds);
    }

    /** Why the move may happen, or a refusal that says what is missing. */
    private static String grounds(Connection c, String name, String alias, Optional<Integer> version,
            Optional<String> override) throws SQLException {
        Optional<String> check = VersionRows.protectingCheck(c, name, alias);
        if (check.isEmpty()) {
            return "unprotected";
        }
        if (override.filter(o -> !o.isBlank()).isPresent()) {
            return "override: " + override.get();
        }
        if (version.isPresent() && VersionRows.checkPassed(c, name, version.get(), check.get())) {
            return "check " + check.get() + " passed";
        }
        throw new SeerException(RegistryErrorCode.INVALID_STATE, "Alias [" + alias + "] of model [" + name
                + "] is protected by check [" + check.get() + "]: " + version.map(v -> "version " + v + " has no passing ["
                + check.get() + "] check").orElse("removing it") + " needs an override with a reason (admin)",
                Map.of("model", name, "alias", alias, "check", check.get()));
    }

    /** Every move of every alias of a model, oldest first. */
    public List<AliasMove> history(String name) {
        model(name);
        return read("Reading alias history of [" + name + "]", c -> VersionRows.moves(c, name));
    }

    /** The version {@code alias} pointed at at time {@code at}: empty before its first move or while removed. */
    public Optional<Integer> at(String name, String alias, Instant at) {
        model(name);
        return read("Reading alias [" + alias + "] of [" + name + "] at " + at, c -> VersionRows.versionAt(c, name, alias,
                at.toEpochMilli()));
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.contains("..")) {
            throw invalid("Model name [" + name + "] must be 1 to 256 letters, digits, '_', '.' or '-', starting with a"
                    + " letter or digit, without '..'", "name");
        }
    }

    private static void checkAlias(String alias, String what) {
        if (alias == null || !ALIAS.matcher(alias).matches() || RESERVED_ALIAS.matcher(alias).matches()) {
            throw invalid(what + " [" + alias + "] must be 1 to 255 letters, digits, '_' or '-', and not 'latest' or"
                    + " v<number> (they name versions)", what.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private void audited(String actor, String action, String subject, ObjectNode payload) {
        audit.record(new AuditRecord(actor, action, "model", subject, payload)).join();
    }

    private <T> T write(String what, SqlDatabase.Work<T> work) {
        return RegistrySql.write(database, what, work);
    }

    private <T> T read(String what, SqlDatabase.Work<T> work) {
        return RegistrySql.read(database, what, work);
    }

    private static SeerException invalid(String message, String field) {
        return new SeerException(RegistryErrorCode.INVALID_REQUEST, message, Map.of("field", field));
    }

    static SeerException notFound(String message, String kind, String id) {
        return new SeerException(RegistryErrorCode.NOT_FOUND, message, Map.of(kind, id));
    }

    private static SeerException failure(String what, SQLException e) {
        return RegistrySql.failure(what, e);
    }
}
