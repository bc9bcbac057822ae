package dev.seer.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.Role;
import dev.seer.core.SeerException;
import dev.seer.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenStoreTest {
    @TempDir
    Path home;

    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    MetadataDatabase database;
    AuditLog audit;
    TokenStore tokens;

    @BeforeEach
    void open() {
        database = MetadataDatabase.open(new MetadataConfig("", "", "", 2), home);
        audit = new AuditLog(database, clock, new AuditConfig(64, 1000));
        tokens = new TokenStore(database, audit, clock);
    }

    @AfterEach
    void close() {
        audit.close();
        database.close();
    }

    @Test
    void aCreatedTokenAuthenticatesWithItsRoleAndIsStoredOnlyAsAHash() throws Exception {
        IssuedToken issued = tokens.create(Role.SCIENTIST, "alice", "cli:root");
        assertThat(issued.secret()).startsWith("seer_").hasSizeGreaterThan(40);
        assertThat(issued.toString()).doesNotContain(issued.secret());
        ApiToken token = tokens.authenticate(issued.secret());
        assertThat(token.name()).isEqualTo("alice");
        assertThat(token.role()).isEqualTo(Role.SCIENTIST);
        audit.close();
        database.close();
        byte[] file = Files.readAllBytes(home.resolve("metadata.db"));
        assertThat(new String(file, StandardCharsets.ISO_8859_1)).doesNotContain(issued.secret());
        open();
    }

    @Test
    void unknownAndRevokedTokensAreRefusedWithDifferentCodes() {
        IssuedToken issued = tokens.create(Role.AUDITOR, "bob", "cli:root");
        assertThatThrownBy(() -> tokens.authenticate("seer_nonsense"))
                .satisfies(e -> assertThat(((SeerException) e).errorCode()).isEqualTo(MetadataErrorCode.TOKEN_INVALID));
        assertThatThrownBy(() -> tokens.authenticate(null))
                .satisfies(e -> assertThat(((SeerException) e).errorCode()).isEqualTo(MetadataErrorCode.TOKEN_MISSING));
        tokens.revoke("bob", "cli:root");
        assertThatThrownBy(() -> tokens.authenticate(issued.secret()))
                .hasMessageContaining("[bob] was revoked")
                .satisfies(e -> assertThat(((SeerException) e).errorCode()).isEqualTo(MetadataErrorCode.TOKEN_REVOKED));
        assertThatThrownBy(() -> tokens.revoke(issued.token().id(), "cli:root"))
                .satisfies(e -> assertThat(((SeerException) e).errorCode()).isEqualTo(MetadataErrorCode.TOKEN_ALREADY_REVOKED));
        assertThatThrownBy(() -> tokens.revoke("nobody", "cli:root"))
                .satisfies(e -> assertThat(((SeerException) e).errorCode()).isEqualTo(MetadataErrorCode.TOKEN_NOT_FOUND));
    }

    @Test
    void namesAreUniqueAmongActiveTokensAndMayBeReusedAfterRevocation() {
        tokens.create(Role.OPERATOR, "ops", "cli:root");
        assertThatThrownBy(() -> tokens.create(Role.OPERATOR, "ops", "cli:root"))
                .satisfies(e -> assertThat(((SeerException) e).errorCode()).isEqualTo(MetadataErrorCode.TOKEN_NAME_TAKEN));
        tokens.revoke("ops", "cli:root");
        tokens.create(Role.OPERATOR, "ops", "cli:root");
        assertThat(tokens.list()).extracting(ApiToken::name, ApiToken::active)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("ops", false),
                        org.assertj.core.groups.Tuple.tuple("ops", true));
        assertThatThrownBy(() -> tokens.create(Role.OPERATOR, "bad name!", "cli:root")).hasMessageContaining("[bad name!]");
    }

    @Test
    void creationAndRevocationAreAudited() {
        IssuedToken issued = tokens.create(Role.ADMIN, "root2", "cli:root");
        tokens.revoke(issued.token().id(), "token:admin");
        assertThat(audit.query(AuditQuery.all().withSubject("token", java.util.Optional.of(issued.token().id()))).entries())
                .extracting(AuditEntry::action, AuditEntry::actor)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("token.created", "cli:root"),
                        org.assertj.core.groups.Tuple.tuple("token.revoked", "token:admin"));
    }
}
