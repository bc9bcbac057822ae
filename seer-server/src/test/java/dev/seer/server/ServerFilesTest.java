package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServerFilesTest {
    @TempDir
    Path dir;

    Path root;
    Path extra;
    Path outside;
    ServerFiles files;

    @BeforeEach
    void roots() throws IOException {
        root = Files.createDirectories(dir.resolve("home/files"));
        extra = Files.createDirectories(dir.resolve("data"));
        outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret.csv"), "secret\n");
        Files.writeString(root.resolve("in.csv"), "ok\n");
        Files.createSymbolicLink(root.resolve("escape"), outside);
        Files.createSymbolicLink(root.resolve("secret-link.csv"), outside.resolve("secret.csv"));
        Files.createSymbolicLink(root.resolve("inner"), extra);
        files = new ServerFiles(List.of(root, extra), dir.resolve("home/run/uploads"), 1024, Clock.systemUTC());
    }

    @Test
    void relativePathsAreTakenInsideTheFirstRoot() throws IOException {
        assertThat(files.resolve("file", "in.csv")).isEqualTo(root.toRealPath().resolve("in.csv"));
        assertThat(files.resolve("out", "new/folder/out.parquet")).isEqualTo(root.toRealPath().resolve("new/folder/out.parquet"));
    }

    @Test
    void absolutePathsInsideAnyRootAreAccepted() throws IOException {
        assertThat(files.resolve("file", root.resolve("in.csv").toString())).isEqualTo(root.toRealPath().resolve("in.csv"));
        assertThat(files.resolve("out", extra.resolve("x.parquet").toString())).isEqualTo(extra.toRealPath().resolve("x.parquet"));
        assertThat(files.resolve("file", root.resolve("sub/../in.csv").toString())).isEqualTo(root.toRealPath().resolve("in.csv"));
    }

    @Test
    void aLinkInsideTheRootsToAnotherRootIsAccepted() throws IOException {
        assertThat(files.resolve("out", "inner/x.parquet")).isEqualTo(extra.toRealPath().resolve("x.parquet"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "ABSOLUTE/outside/secret.csv",
        "../../outside/secret.csv",
        "ROOT/../../outside/secret.csv",
        "ROOT/../files-sibling/x.csv",
        "/etc/passwd",
        "/",
        ".."})
    void pathsOutsideTheRootsAreRefused(String form) {
        assertRefused(form, "outside-roots");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "..%2f..%2foutside%2fsecret.csv",
        "%2e%2e/%2e%2e/outside/secret.csv",
        "%2E%2E%2F%2E%2E%2Foutside%2Fsecret.csv",
        "%252e%252e%252f%252e%252e%252foutside%252fsecret.csv",
        "..%c0%af..%c0%afoutside%c0%afsecret.csv",
        "in%00.csv"})
    void percentEncodedPathsAreRefused(String form) {
        assertRefused(form, "encoded");
    }

    @ParameterizedTest
    @ValueSource(strings = {"..\\..\\outside\\secret.csv", "ROOT\\..\\..\\outside\\secret.csv", "in.csv\\"})
    void backslashesAreRefused(String form) {
        assertRefused(form, "backslash");
    }

    @ParameterizedTest
    @ValueSource(strings = {"in\u0000.csv", "in.csv\n../../outside/secret.csv", "\u001b[2Jin.csv"})
    void controlCharactersAreRefused(String form) {
        assertRefused(form, "control-character");
    }

    @ParameterizedTest
    @ValueSource(strings = {"escape/secret.csv", "escape", "secret-link.csv", "escape/new/out.parquet", "ROOT/escape/secret.csv"})
    void linksLeadingOutsideTheRootsAreRefused(String form) {
        assertRefused(form, "link-outside-roots");
    }

    @Test
    void checkingADefinitionsPathAppliesTheSameRules() {
        assertThatThrownBy(() -> files.check("sources[s].path", outside.resolve("secret.csv")))
                .isInstanceOf(SeerException.class).hasMessageContaining("[sources[s].path]")
                .hasMessageContaining("outside-roots");
        assertThat(files.check("sources[s].path", root.resolve("in.csv"))).endsWith(Path.of("in.csv"));
    }

    @Test
    void theRefusalIsAForbiddenNamingTheFieldAndRule() {
        assertThatThrownBy(() -> files.resolve("out", "/etc/passwd"))
                .isInstanceOfSatisfying(SeerException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ServerErrorCode.PATH_NOT_ALLOWED);
                    assertThat(e.category().httpStatus()).isEqualTo(403);
                    assertThat(e.details()).containsEntry("field", "out").containsEntry("rule", "outside-roots");
                    assertThat(e.getMessage()).contains("Field [out] path [/etc/passwd]").contains("files.roots");
                });
    }

    private void assertRefused(String form, String rule) {
        String requested = form.replace("ABSOLUTE", dir.toString()).replace("ROOT", root.toString());
        assertThatThrownBy(() -> files.resolve("file", requested))
                .as(requested)
                .isInstanceOfSatisfying(SeerException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ServerErrorCode.PATH_NOT_ALLOWED);
                    assertThat(e.details()).containsEntry("rule", rule);
                });
    }
}
