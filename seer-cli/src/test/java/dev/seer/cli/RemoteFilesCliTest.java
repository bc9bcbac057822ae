package dev.seer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.Sha256;
import dev.seer.core.home.HomeLock;
import dev.seer.core.home.SeerHome;
import dev.seer.server.ConfigSections;
import dev.seer.server.SeerServer;
import dev.seer.server.SeerServices;
import dev.seer.server.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI against a server that owns the home, with files only on the CLI's side (a folder the
 * server may not read): the repository, its data and the entity files are uploaded, results are
 * downloaded, and the server's file roots hold no path of the client's.
 */
class RemoteFilesCliTest {
    static final String REPOSITORY = """
            entities:
              - {name: customer, join_keys: [customer_id]}
            sources:
              - {name: transactions, type: file, path: data/transactions.csv, timestamp_field: event_ts}
            feature_views:
              - name: customer_stats
                entities: [customer]
                source: transactions
                features:
                  - {name: spend, type: double}
                  - {name: plan, type: string}
            feature_services:
              - {name: churn_v1, features: [customer_stats:spend, customer_stats:plan]}
            """;

    @TempDir
    Path dir;

    Path home;
    Path client;
    HomeLock lock;
    SeerServices services;
    SeerServer server;

    @BeforeEach
    void startServer() throws IOException {
        home = dir.resolve("home");
        assertThat(CliRun.run(home, "init").exitCode()).isZero();
        SeerHome seerHome = SeerHome.open(home);
        lock = seerHome.lock("server", Clock.systemUTC());
        services = SeerServices.open(seerHome, seerHome.loadConfig(Map.of(), ConfigSections.ALL).with(ServerConfig.SECTION, new ServerConfig("127.0.0.1", 0)),
                Clock.systemUTC());
        server = SeerServer.start(services);
        lock.publishUrl(server.url());
        client = Files.createDirectories(dir.resolve("client/churn/data"));
        Files.writeString(client.resolve("../repo.yaml"), REPOSITORY);
        Files.writeString(client.resolve("transactions.csv"), """
                customer_id,event_ts,spend,plan
                1,2026-11-20T10:00:00Z,12.5,basic
                2,2026-11-20T11:00:00Z,99.0,pro
                """);
        Files.writeString(dir.resolve("client/entities.csv"), """
                customer_id,event_timestamp,label
                1,2026-11-22T00:00:00Z,1
                2,2026-11-22T00:00:00Z,0
                """);
    }

    @AfterEach
    void stopServer() {
        server.close();
        services.close();
        lock.close();
    }

    @Test
    void applyIngestRetrieveAndDatasetsWorkThroughUploadsAndDownloads() throws IOException {
        ok(CliRun.run(home, "apply", "-f", dir.resolve("client/churn").toString()));
        assertThat(Files.readString(home.resolve("files/repositories/churn/data/transactions.csv"))).contains("99.0,pro");
        CliRun ingested = ok(CliRun.run(home, "--json", "ingest", "transactions"));
        assertThat(Json.parse(ingested.out()).path("rows_written").asLong()).isEqualTo(2);

        Path later = dir.resolve("client/later.csv");
        Files.writeString(later, "customer_id,event_ts,spend,plan\n1,2026-11-21T10:00:00Z,20.0,pro\n");
        CliRun uploaded = ok(CliRun.run(home, "--json", "ingest", "transactions", "--file", later.toString()));
        assertThat(Json.parse(uploaded.out()).path("rows_written").asLong()).isEqualTo(1);

        Path out = dir.resolve("client/out/features.csv");
        ok(CliRun.run(home, "features", "historical", "--entities", dir.resolve("client/entities.csv").toString(),
                "--features", "churn_v1", "--out", out.toString()));
        assertThat(Files.readString(out)).isEqualTo("""
                customer_id,event_timestamp,label,customer_stats__spend,customer_stats__plan
                1,2026-11-22T00:00:00Z,1,20.0,pro
                2,2026-11-22T00:00:00Z,0,99.0,pro
                """);

        JsonNode created = Json.parse(ok(CliRun.run(home, "--json", "dataset", "create", "churn", "--entities",
                dir.resolve("client/entities.csv").toString(), "--features", "churn_v1", "--label", "label")).out());
        Path exported = dir.resolve("client/export/churn.parquet");
        ok(CliRun.run(home, "dataset", "export", "churn:1", "--out", exported.toString()));
        assertThat(HexFormat.of().formatHex(Sha256.of(Files.readAllBytes(exported))))
                .isEqualTo(created.path("manifest").path("data").path("sha256").asText());
        JsonNode imported = Json.parse(ok(CliRun.run(home, "--json", "dataset", "import", "copy", "--file", out.toString()))
                .out());
        assertThat(imported.path("manifest").path("data").path("rows").asLong()).isEqualTo(2);

        assertThat(contents(home.resolve("files"))).noneMatch(p -> p.contains("client"));
        assertThat(contents(home.resolve("run/uploads"))).containsExactly(".parts");
    }

    @Test
    void aRoleThatMayNotWriteIsRefusedBeforeAnythingIsUploaded() throws IOException {
        String auditor = Json.parse(ok(CliRun.run(home, "--json", "token", "create", "--role", "auditor", "--name", "aud")).out())
                .path("secret").asText();
        CliRun refused = CliRun.run(home, "--token", auditor, "apply", "-f", dir.resolve("client/churn").toString());
        assertThat(refused.exitCode()).isEqualTo(6);
        assertThat(refused.err()).contains("ROLE_NOT_ALLOWED");
        assertThat(home.resolve("files/repositories")).doesNotExist();
    }

    @Test
    void aSourceFileOutsideTheServersRootsIsRefusedNamingTheRule() throws IOException {
        Path elsewhere = dir.resolve("elsewhere.yaml");
        Files.writeString(elsewhere, REPOSITORY.replace("data/transactions.csv", dir.resolve("client/churn/data/transactions.csv")
                .toString()).replace("churn_v1", "other"));
        Files.move(elsewhere, Files.createDirectories(dir.resolve("other")).resolve("repo.yaml"));
        CliRun refused = CliRun.run(home, "apply", "-f", dir.resolve("other").toString());
        assertThat(refused.exitCode()).as(refused.err()).isEqualTo(6);
        assertThat(refused.err()).contains("PATH_NOT_ALLOWED").contains("sources[transactions].path").contains("outside-roots");
    }

    private static CliRun ok(CliRun run) {
        assertThat(run.exitCode()).as(run.err()).isZero();
        return run;
    }

    private static List<String> contents(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(p -> !p.equals(folder)).map(p -> folder.relativize(p).toString()).toList();
        }
    }
}
