package dev.seer.metadata;

import static java.util.Objects.requireNonNull;

import dev.seer.core.Ids;
import dev.seer.core.Json;
import dev.seer.core.Role;
import dev.seer.core.SeerException;
import dev.seer.core.Times;
import dev.seer.core.audit.AuditRecord;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * API tokens. A secret is 32 random bytes, shown once; the store keeps only its SHA-256, which
 * is enough for a secret of that entropy (no password-style slow hash is needed) and lets a
 * lookup be one indexed read. Creation and revocation are audited before they are acknowledged.
 *
 * <p>A successful check is remembered for {@link #CACHE_FOR}, so that a busy route does not pay a
 * database query per request. A revocation through this store takes effect at once (the cache
 * is cleared); one made by another process sharing the database takes effect within
 * {@link #CACHE_FOR}. Failed checks are never cached, so a token becomes usable the moment it is
 * activated.
 */
public final class TokenStore {
    private static final String PREFIX = "seer_";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MetadataDatabase database;
    private final AuditLog audit;
    private final Clock clock;
    private final Ids ids;
    /** How long a successful check is reused before the database is asked again. */
    public static final java.time.Duration CACHE_FOR = java.time.Duration.ofSeconds(1);

    private record Checked(ApiToken token, long checkedNanos) {}

    private final java.util.concurrent.ConcurrentHashMap<java.nio.ByteBuffer, Checked> checked =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** Bumped by every revocation: a check that began before one must not cache what it read. */
    private final java.util.concurrent.atomic.AtomicLong revocations = new java.util.concurrent.atomic.AtomicLong();

    public TokenStore(MetadataDatabase database, AuditLog audit, Clock clock) {
        this.database = requireNonNull(database, "database is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.ids = new Ids(clock);
    }

    /**
     * Creates a token. The row is written inactive, the creation is audited, and only then is the
     * token activated: a crash in between leaves a token that never worked, never one that works
     * without its audit entry.
     */
    public IssuedToken create(Role role, String name, String actor) {
        requireNonNull(role, "role is null");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new SeerException(dev.seer.core.CoreErrorCode.INVALID_ARGUMENT, "Token name [" + name
                    + "] must be 1 to 64 letters, digits or _.@- and start with a letter or digit", Map.of("name", String.valueOf(name)));
        }
        if (list().stream().anyMatch(t -> t.active() && t.name().equals(name))) {
            throw nameTaken(name);
        }
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        ApiToken token = new ApiToken(ids.next("tok"), name, role, clock.instant(), actor, Optional.empty());
        insertInactive(token, hash(secret));
        audit.appendAndWait(new AuditRecord(actor, "token.created", "token", token.id(),
                Json.object().put("name", name).put("role", role.id())));
        activate(token);
        return new IssuedToken(token, secret);
    }

    public List<ApiToken> list() {
        List<ApiToken> tokens = new ArrayList<>();
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement statement = c.prepareStatement(
                        "SELECT id, name, role, created_micros, created_by, revoked_micros FROM api_token ORDER BY id");
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                tokens.add(read(rs));
            }
        } catch (SQLException e) {
            throw failure("Listing tokens", e);
        }
        return tokens;
    }

    /**
     * Revokes the active token with this id or name. The token stops working first and the
     * revocation is audited after: a failure in between fails closed (revoked, error reported).
     */
    public ApiToken revoke(String idOrName, String actor) {
        ApiToken token = find(idOrName);
        long now = Times.toMicros(clock.instant());
        int changed;
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement statement = c.prepareStatement(
                        "UPDATE api_token SET revoked_micros = ? WHERE id = ? AND revoked_micros IS NULL")) {
            statement.setLong(1, now);
            statement.setString(2, token.id());
            changed = statement.executeUpdate();
        } catch (SQLException e) {
            throw failure("Revoking a token", e);
        } finally {
            revocations.incrementAndGet(); // before the clear: a racing check then declines to cache
            checked.clear();
        }
        if (changed == 0) { // revoked before, or by a concurrent call: only one of them is audited
            ApiToken current = find(token.id());
            throw new SeerException(MetadataErrorCode.TOKEN_ALREADY_REVOKED, "Token [" + token.name() + "] ("
                    + token.id() + ") was already revoked at " + current.revoked().map(Object::toString).orElse("?"),
                    Map.of("token", token.id()));
        }
        audit.appendAndWait(new AuditRecord(actor, "token.revoked", "token", token.id(),
                Json.object().put("name", token.name()).put("role", token.role().id())));
        return new ApiToken(token.id(), token.name(), token.role(), token.created(), token.createdBy(),
                Optional.of(Times.ofMicros(now)));
    }

    /** The token a secret belongs to; fails as unauthorised for an unknown or revoked secret. */
    public ApiToken authenticate(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new SeerException(MetadataErrorCode.TOKEN_MISSING, "No API token given: send the header "
                    + "[Authorization: Bearer <token>]", Map.of());
        }
        byte[] hash = hash(secret.trim());
        java.nio.ByteBuffer key = java.nio.ByteBuffer.wrap(hash);
        Checked recent = checked.get(key);
        long now = System.nanoTime();
        if (recent != null && now - recent.checkedNanos() < CACHE_FOR.toNanos()) {
            return recent.token();
        }
        long generation = revocations.get();
        ApiToken token = lookUp(hash);
        if (revocations.get() == generation) {
            checked.put(key, new Checked(token, now));
        }
        return token;
    }

    private ApiToken lookUp(byte[] hash) {
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement statement = c.prepareStatement(
                        "SELECT id, name, role, created_micros, created_by, revoked_micros FROM api_token WHERE token_hash = ?")) {
            statement.setBytes(1, hash);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    throw new SeerException(MetadataErrorCode.TOKEN_INVALID, "The API token is not valid", Map.of());
                }
                ApiToken token = read(rs);
                if (!token.active()) {
                    throw new SeerException(MetadataErrorCode.TOKEN_REVOKED, "The API token [" + token.name()
                            + "] was revoked at " + token.revoked().get(), Map.of("token", token.id()));
                }
                return token;
            }
        } catch (SQLException e) {
            throw failure("Checking a token", e);
        }
    }

    private ApiToken find(String idOrName) {
        return list().stream()
                .filter(t -> t.id().equals(idOrName) || (t.name().equals(idOrName) && t.active()))
                .findFirst()
                .or(() -> list().stream().filter(t -> t.name().equals(idOrName)).reduce((a, b) -> b))
                .orElseThrow(() -> new SeerException(MetadataErrorCode.TOKEN_NOT_FOUND,
                        "No token has id or name [" + idOrName + "]", Map.of("token", idOrName)));
    }

    /** Writes the token as not yet usable: revoked at its own creation time until {@link #activate}. */
    private void insertInactive(ApiToken token, byte[] hash) {
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement statement = c.prepareStatement("INSERT INTO api_token "
                        + "(id, name, role, token_hash, created_micros, created_by, revoked_micros) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            statement.setString(1, token.id());
            statement.setString(2, token.name());
            statement.setString(3, token.role().id());
            statement.setBytes(4, hash);
            statement.setLong(5, Times.toMicros(token.created()));
            statement.setString(6, token.createdBy());
            statement.setLong(7, Times.toMicros(token.created()));
            statement.executeUpdate();
        } catch (SQLException e) {
            throw failure("Creating a token", e);
        }
    }

    private void activate(ApiToken token) {
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement statement = c.prepareStatement("UPDATE api_token SET revoked_micros = NULL WHERE id = ?")) {
            statement.setString(1, token.id());
            statement.executeUpdate();
        } catch (SQLException e) {
            if (list().stream().anyMatch(t -> t.active() && t.name().equals(token.name()))) {
                throw nameTaken(token.name()); // a concurrent create of the same name won
            }
            throw failure("Activating a token", e);
        }
    }

    private static SeerException nameTaken(String name) {
        return new SeerException(MetadataErrorCode.TOKEN_NAME_TAKEN, "An active token is already named [" + name
                + "]; revoke it or choose another name", Map.of("name", name));
    }

    private static ApiToken read(ResultSet rs) throws SQLException {
        long revoked = rs.getLong(6);
        Optional<java.time.Instant> revokedAt = rs.wasNull() ? Optional.empty() : Optional.of(Times.ofMicros(revoked));
        return new ApiToken(rs.getString(1), rs.getString(2), Role.parse(rs.getString(3)),
                Times.ofMicros(rs.getLong(4)), rs.getString(5), revokedAt);
    }

    private static byte[] hash(String secret) {
        return dev.seer.core.Sha256.of(secret);
    }

    private static SeerException failure(String what, SQLException e) {
        return new SeerException(MetadataErrorCode.STORE_FAILURE, what + " failed: " + e.getMessage(), Map.of(), e);
    }
}
