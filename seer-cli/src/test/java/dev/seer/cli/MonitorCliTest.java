package dev.seer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.home.HomeLock;
import dev.seer.core.home.SeerHome;
import dev.seer.server.SeerServer;
import dev.seer.server.SeerServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert and monitor commands on a home with no server: a logistic model trained on an
 * imported dataset and deployed has a reference, so a rule on one of its figures is added and a
 * typo refused with the near names; with no window closed (no server reads the log here) the lists
 * are empty, the figures none, and the report says no data but is still written as HTML; bad times
 * and names are refused with the exit code of their category. A server owning the home gives the
 * same answers to the same commands.
 */
class MonitorCliTest {
    @TempDir
    Path dir;

    @Test
    void rulesAlertsFiguresAndTheReportFromTheCommandLine() throws Exception {
        StringBuilder csv = new StringBuilder("id,x1,x2,y\n");
        SplittableRandom random = new SplittableRandom(18);
        for (int i = 0; i < 400; i++) {
            double x1 = random.nextDouble(-2, 2);
            double x2 = random.nextDouble(-2, 2);
            csv.append(i).append(',').append(x1).append(',').append(x2).append(',')
                    .append(random.nextDouble() < 1 / (1 + Math.exp(-2 * x1)) ? 1 : 0).append('\n');
        }
        Path data = Files.writeString(dir.resolve("mon.csv"), csv);
        Path spec = Files.writeString(dir.resolve("mon.yaml"), "name: mon\ndataset: mon:1\ntask: binary\n"
                + "evaluation: {folds: 2, bootstrap: 100}\ncandidates: [{algorithm: logistic}]\n");
        try (CliHome cli = CliHome.local(dir.resolve("home"))) {
            ok(cli, "init");
            ok(cli, "dataset", "import", "mon", "--file", data.toString(), "--key", "id", "--label", "y", "--split-by-key",
                    "id");
            ok(cli, "train", "-f", spec.toString());
            ok(cli, "deploy", "mon", "--model", "mon", "--version", "1");

            String added = ok(cli, "alerts", "rule", "add", "--id", "x1-drift", "--figure", "mon/drift/x1/drifted",
                    "--above", "0.5", "--for", "2", "--severity", "critical");
            assertThat(added).contains("Added x1-drift  mon/drift/x1/drifted > 0.500000  for 2 windows  critical");
            CliRun typo = cli.run("alerts", "rule", "add", "--id", "typo", "--figure", "mon/drift/x1/drifed", "--below", "1");
            assertThat(typo.exitCode()).isEqualTo(3);
            assertThat(typo.err()).contains("near names", "mon/drift/x1/drifted");
            CliRun both = cli.run("alerts", "rule", "add", "--id", "both", "--figure", "mon/volume/rows/count", "--above",
                    "1", "--below", "2");
            assertThat(both.exitCode()).as(both.err()).isEqualTo(2);
            JsonNode rules = Json.parse(ok(cli, "--json", "alerts", "rules")).path("rules");
            assertThat(rules).hasSize(1);
            assertThat(rules.get(0).path("comparison").asText()).isEqualTo(">");
            assertThat(rules.get(0).path("for").asInt()).isEqualTo(2);

            assertThat(ok(cli, "alerts", "list", "--phase", "FIRING")).contains("No alerts.");
            assertThat(cli.run("alerts", "list", "--phase", "burning").exitCode()).isEqualTo(2);
            assertThat(ok(cli, "alerts", "history", "--deployment", "mon")).contains("No alert changes.");
            CliRun ack = cli.run("alerts", "ack", "x1-drift", "--figure", "mon/drift/x1/drifted", "--note", "seen");
            assertThat(ack.exitCode()).as(ack.err()).isEqualTo(3); // no alert of the rule yet
            assertThat(ok(cli, "monitor", "figures", "mon", "--from", "2026-01-01T00:00:00Z", "--to", "2026-01-02T00:00:00Z"))
                    .contains("No figures of mon from 2026-01-01T00:00:00Z to 2026-01-02T00:00:00Z.");

            Path html = dir.resolve("report.html");
            CliRun report = cli.run("monitor", "report", "mon", "--from", "2026-01-01T00:00:00Z", "--to",
                    "2026-01-02T00:00:00Z", "--out", html.toString());
            assertThat(report.exitCode()).as(report.err()).isZero();
            assertThat(report.out()).contains("mon", "Wrote " + html);
            assertThat(Files.readString(html)).startsWith("<!DOCTYPE html>").doesNotContain("http", "src=");
            CliRun badTime = cli.run("monitor", "report", "mon", "--from", "yesterday");
            assertThat(badTime.exitCode()).isEqualTo(2);
            assertThat(badTime.err()).contains("--from", "yesterday");
            CliRun backwards = cli.run("monitor", "report", "mon", "--from", "2026-01-02T00:00:00Z", "--to",
                    "2026-01-01T00:00:00Z", "--out", html.toString());
            assertThat(backwards.exitCode()).isEqualTo(2);
            assertThat(backwards.err()).contains("[from]");
            CliRun badName = cli.run("monitor", "report", "../mon");
            assertThat(badName.exitCode()).isEqualTo(2);
            assertThat(Files.exists(dir.resolve("monitor-../mon.html"))).isFalse();

            // the same answers through a server owning the home: one declaration, two transports
            List<String[]> reads = List.of(new String[] {"--json", "alerts", "rules"},
                    new String[] {"--json", "alerts", "list"}, new String[] {"--json", "alerts", "history"},
                    new String[] {"--json", "monitor", "figures", "mon", "--from", "2026-01-01T00:00:00Z"});
            List<JsonNode> local = reads.stream().map(args -> Json.parse(ok(cli, args))).toList();
            SeerHome home = SeerHome.open(cli.root);
            try (HomeLock lock = home.lock("server", Clock.systemUTC());
                    SeerServices services = SeerServices.open(home, cli.config(), Clock.systemUTC());
                    SeerServer server = SeerServer.start(services)) {
                lock.publishUrl(server.url());
                List<JsonNode> remote = reads.stream().map(args -> Json.parse(ok(cli, args))).toList();
                assertThat(remote.subList(0, 3)).isEqualTo(local.subList(0, 3));
                assertThat(remote.get(3).path("figures")).isEqualTo(local.get(3).path("figures"));
                Path remoteHtml = dir.resolve("remote.html");
                ok(cli, "monitor", "report", "mon", "--from", "2026-01-01T00:00:00Z", "--to", "2026-01-02T00:00:00Z", "--out",
                        remoteHtml.toString());
                assertThat(Files.readString(remoteHtml)).startsWith("<!DOCTYPE html>");
                CliRun remoteTypo = cli.run("alerts", "rule", "add", "--id", "typo", "--figure", "mon/drift/x1/drifed",
                        "--below", "1");
                assertThat(remoteTypo.exitCode()).isEqualTo(3);
                assertThat(remoteTypo.err()).contains("mon/drift/x1/drifted");
            }

            ok(cli, "alerts", "rule", "remove", "x1-drift");
            assertThat(cli.run("alerts", "rule", "remove", "x1-drift").exitCode()).isEqualTo(3);
            assertThat(ok(cli, "alerts", "rules")).contains("No alert rules.");
        }
    }

    private static String ok(CliHome cli, String... args) {
        CliRun run = cli.run(args);
        assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run.err()).isZero();
        return run.out();
    }
}
