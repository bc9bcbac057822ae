package dev.seer.server;

import static dev.seer.server.ApiJson.list;
import static dev.seer.server.ApiJson.texts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.provenance.Fields;
import dev.seer.registry.tracking.Experiment;
import dev.seer.registry.tracking.Lifecycle;
import dev.seer.registry.tracking.Metric;
import dev.seer.registry.tracking.Run;
import dev.seer.registry.tracking.RunProvenance;
import dev.seer.registry.tracking.RunStatus;
import dev.seer.registry.versions.AliasMove;
import dev.seer.registry.versions.ModelVersion;
import dev.seer.registry.versions.RegisteredModel;
import dev.seer.registry.versions.VersionCheck;
import dev.seer.registry.versions.VersionDetails;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The JSON of Seer's own tracking and registry API ({@code /api/v1/experiments}, {@code /runs},
 * {@code /models}), both ways, so that a remote CLI reads back the values the server had. Times
 * are ISO-8601 instants; metric values that JSON cannot hold (NaN, infinities) travel as the
 * strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}.
 */
final class RegistryJson {
    private RegistryJson() {}

    static ObjectNode experiment(Experiment e) {
        ObjectNode node = Json.object().put("id", e.id()).put("name", e.name()).put("artifact_location", e.artifactLocation())
                .put("lifecycle", e.lifecycle().id()).put("created", e.created().toString())
                .put("updated", e.lastUpdated().toString());
        node.set("tags", texts(e.tags()));
        return node;
    }

    static Experiment experiment(JsonNode node) {
        Fields f = new Fields(node, "experiment");
        return new Experiment(f.text("id"), f.text("name"), f.text("artifact_location"), Lifecycle.parse(f.text("lifecycle")),
                f.instant("created"), f.instant("updated"), texts(f.object("tags")));
    }

    static ObjectNode run(Run r) {
        ObjectNode node = Json.object().put("id", r.id()).put("experiment_id", r.experimentId()).put("name", r.name())
                .put("user", r.userId()).put("status", r.status().name()).put("started", r.started().toString())
                .put("ended", r.ended().map(Instant::toString).orElse(null)).put("lifecycle", r.lifecycle().id())
                .put("artifact_uri", r.artifactUri()).put("parent_id", r.parentId().orElse(null));
        node.set("params", texts(r.params()));
        node.set("tags", texts(r.tags()));
        node.set("metrics", list(r.metrics(), RegistryJson::metric));
        r.provenance().ifPresent(p -> node.set("provenance", RunProvenance.CODEC.encode(p)));
        return node;
    }

    static Run run(JsonNode node) {
        Fields f = new Fields(node, "run");
        return new Run(f.text("id"), f.text("experiment_id"), f.text("name"), f.text("user"), RunStatus.parse(f.text("status")),
                f.instant("started"), f.present("ended") ? Optional.of(f.instant("ended")) : Optional.empty(),
                Lifecycle.parse(f.text("lifecycle")), f.text("artifact_uri"), f.optionalText("parent_id"), texts(f.object("params")),
                texts(f.object("tags")), list(node.get("metrics"), RegistryJson::metric), f.present("provenance")
                        ? Optional.of(RunProvenance.CODEC.decode(f.object("provenance"))) : Optional.empty());
    }

    static ObjectNode metric(Metric m) {
        ObjectNode node = Json.object().put("key", m.key());
        if (Double.isFinite(m.value())) {
            node.put("value", m.value());
        } else {
            node.put("value", Double.isNaN(m.value()) ? "NaN" : m.value() > 0 ? "Infinity" : "-Infinity");
        }
        return node.put("timestamp", m.timestamp()).put("step", m.step());
    }

    static Metric metric(JsonNode node) {
        Fields f = new Fields(node, "metric");
        JsonNode value = node.get("value");
        double number = value != null && value.isTextual() ? Double.parseDouble(value.asText()) : f.decimal("value");
        return new Metric(f.text("key"), number, f.number("timestamp"), f.number("step"));
    }

    static ObjectNode model(RegisteredModel m) {
        ObjectNode node = Json.object().put("name", m.name()).put("description", m.description())
                .put("created", m.created().toString()).put("updated", m.updated().toString());
        node.set("tags", texts(m.tags()));
        ObjectNode aliases = node.putObject("aliases");
        new TreeMap<>(m.aliases()).forEach(aliases::put);
        return node;
    }

    static RegisteredModel model(JsonNode node) {
        Fields f = new Fields(node, "registered model");
        Map<String, Integer> aliases = new LinkedHashMap<>();
        f.object("aliases").fields().forEachRemaining(e -> aliases.put(e.getKey(), e.getValue().asInt()));
        return new RegisteredModel(f.text("name"), f.text("description"), f.instant("created"), f.instant("updated"),
                texts(f.object("tags")), aliases);
    }

    static ObjectNode version(ModelVersion v) {
        ObjectNode node = Json.object().put("name", v.name()).put("version", v.version()).put("created", v.created().toString())
                .put("updated", v.updated().toString()).put("description", v.description()).put("user", v.userId())
                .put("source", v.source()).put("run_id", v.runId().orElse(null));
        node.set("details", VersionDetails.CODEC.encode(v.details()));
        node.set("tags", texts(v.tags()));
        v.aliases().forEach(node.putArray("aliases")::add);
        node.set("checks", list(v.checks(), RegistryJson::check));
        return node;
    }

    static ModelVersion version(JsonNode node) {
        Fields f = new Fields(node, "model version");
        return new ModelVersion(f.text("name"), f.integer("version"), f.instant("created"), f.instant("updated"),
                f.text("description"), f.text("user"), f.text("source"), f.optionalText("run_id"),
                VersionDetails.CODEC.decode(f.object("details")), texts(f.object("tags")), f.texts("aliases"),
                list(node.get("checks"), RegistryJson::check));
    }

    static ObjectNode check(VersionCheck c) {
        return Json.object().put("check", c.check()).put("passed", c.passed()).put("detail", c.detail())
                .put("recorded", c.recorded().toString()).put("actor", c.actor());
    }

    static VersionCheck check(JsonNode node) {
        Fields f = new Fields(node, "version check");
        return new VersionCheck(f.text("check"), f.bool("passed", false), f.text("detail"), f.instant("recorded"),
                f.text("actor"));
    }

    static ObjectNode move(AliasMove m) {
        return Json.object().put("name", m.name()).put("alias", m.alias()).put("version", m.version().orElse(null))
                .put("at", m.at().toString()).put("actor", m.actor()).put("reason", m.reason()).put("grounds", m.grounds());
    }

    static AliasMove move(JsonNode node) {
        Fields f = new Fields(node, "alias move");
        return new AliasMove(f.text("name"), f.text("alias"), f.present("version") ? Optional.of(f.integer("version"))
                : Optional.empty(), f.instant("at"), f.text("actor"), f.text("reason"), f.text("grounds"));
    }

}
