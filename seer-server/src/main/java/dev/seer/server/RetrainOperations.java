package dev.seer.server;

import static dev.seer.server.ApiRole.ADMIN;
import static dev.seer.server.ApiRole.AUDITOR;
import static dev.seer.server.ApiRole.OPERATOR;
import static dev.seer.server.ApiRole.SCIENTIST;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.yaml.YamlNode;
import dev.seer.monitoring.watch.RetrainPolicies;
import dev.seer.monitoring.watch.RetrainPolicy;
import dev.seer.monitoring.watch.RetrainRun;
import dev.seer.serving.deploy.Deployment;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The retraining loop through the API ({@link Retraining}): a deployment's policy set and shown
 * with its recent runs, and a run now. Setting a policy and running one change what a deployment
 * serves (a challenger, a champion), so they are an operator's or an admin's, as a deploy is.
 */
public final class RetrainOperations {
    /**
     * The prefix of the tags a retrained model's training run carries: {@code id} (the retraining
     * run), {@code trigger}, {@code deployment} and {@code range} (of the predictions it learnt from).
     */
    public static final String TAG_PREFIX = "seer.retraining.";

    /** How many of a deployment's runs its policy is shown with. */
    static final int RECENT_RUNS = 20;

    /** A deployment's policy (empty: none set) and its latest runs, the latest first. */
    public record Shown(String deployment, Optional<RetrainPolicies.Stored> policy, List<RetrainRun> runs) {
        public Shown {
            runs = List.copyOf(runs);
        }
    }

    public static final Operation<RetrainPolicy, RetrainPolicies.Stored> SET = Operation
            .<RetrainPolicy, RetrainPolicies.Stored>post("deployments.retraining.set", "/api/v1/deployments/{name}/retraining")
            .roles(ADMIN, OPERATOR)
            .request(Codec.of(RetrainOperations::policy, RetrainOperations::policy))
            .response(Codec.of(RetrainOperations::stored, RetrainOperations::stored))
            .handler((services, policy, call) -> {
                services.serving().deployments().get(policy.deployment()); // a 404 for an unknown deployment
                return services.retraining().policies().put(policy, call.actor());
            });

    public static final Operation<String, Shown> SHOW = Operation
            .<String, Shown>get("deployments.retraining.show", "/api/v1/deployments/{name}/retraining")
            .roles(ADMIN, SCIENTIST, OPERATOR, AUDITOR)
            .request(Codec.of(name -> Json.object().put("name", name), node -> Deployment.checkName(Fields.text(node, "name"))))
            .response(Codec.of(RetrainOperations::shown, RetrainOperations::shown))
            .handler((services, name, call) -> new Shown(name, services.retraining().policies().get(name),
                    services.retraining().policies().runs(name, RECENT_RUNS)));

    public static final Operation<String, RetrainRun> RETRAIN = Operation
            .<String, RetrainRun>post("deployments.retrain", "/api/v1/deployments/{name}/retrain")
            .roles(ADMIN, OPERATOR)
            .request(Codec.of(name -> Json.object().put("name", name), node -> Deployment.checkName(Fields.text(node, "name"))))
            .response(Codec.of(RetrainOperations::run, RetrainOperations::run))
            .handler((services, name, call) -> services.retraining().runNow(name, call.actor(), call.progress()));

    static final List<Operation<?, ?>> ALL = List.of(SET, SHOW, RETRAIN);

    private RetrainOperations() {}

    static ObjectNode policy(RetrainPolicy p) {
        ObjectNode node = Json.object().put("name", p.deployment());
        p.triggers().forEach(node.putArray("on")::add);
        p.every().ifPresent(e -> node.put("every", duration(e)));
        return node.put("lookback", duration(p.lookback())).put("action", p.action().id())
                .put("challenger_percent", p.challengerPercent()).put("min_rows", p.minRows())
                .put("cooldown", duration(p.cooldown()));
    }

    /** A policy as asked: {@code on} (rule ids or *) and/or {@code every}, the rest with the policy's defaults. */
    static RetrainPolicy policy(JsonNode node) {
        return new RetrainPolicy(Deployment.checkName(Fields.text(node, "name")), new LinkedHashSet<>(Fields.texts(node, "on")),
                Fields.optional(node, "every").map(t -> duration("every", t)),
                Fields.optional(node, "lookback").map(t -> duration("lookback", t)).orElse(RetrainPolicy.DEFAULT_LOOKBACK),
                RetrainPolicy.Action.parse(Fields.optional(node, "action").orElse("challenger"), "action"),
                (int) Fields.wholeNumber(node, "challenger_percent", RetrainPolicy.DEFAULT_CHALLENGER_PERCENT),
                (int) Fields.wholeNumber(node, "min_rows", RetrainPolicy.DEFAULT_MIN_ROWS),
                Fields.optional(node, "cooldown").map(t -> duration("cooldown", t)).orElse(RetrainPolicy.DEFAULT_COOLDOWN));
    }

    /** {@code 30s}, {@code 15m}, {@code 6h}, {@code 7d}, {@code 2w}: the durations Seer's YAML reads. */
    public static Duration duration(String field, String text) {
        return YamlNode.parse(Path.of(field), text, ServerErrorCode.BAD_REQUEST).duration();
    }

    /** The largest whole unit: 604800 s is {@code 7d}. */
    public static String duration(Duration d) {
        long s = d.toSeconds();
        if (s != 0 && s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s != 0 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s != 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }

    private static ObjectNode stored(RetrainPolicies.Stored s) {
        ObjectNode node = Json.object();
        node.set("policy", policy(s.policy()));
        return node.put("set_at", s.setAt().toString()).put("set_by", s.setBy());
    }

    private static RetrainPolicies.Stored stored(JsonNode node) {
        return new RetrainPolicies.Stored(policy(node.path("policy")), Instant.parse(node.path("set_at").asText()),
                node.path("set_by").asText());
    }

    private static ObjectNode shown(Shown s) {
        ObjectNode node = Json.object().put("name", s.deployment());
        s.policy().ifPresent(p -> node.set("policy", stored(p)));
        node.set("runs", ApiJson.list(s.runs(), RetrainOperations::run));
        return node;
    }

    private static Shown shown(JsonNode node) {
        return new Shown(node.path("name").asText(), node.hasNonNull("policy") ? Optional.of(stored(node.get("policy")))
                : Optional.empty(), ApiJson.list(node.get("runs"), RetrainOperations::run));
    }

    static ObjectNode run(RetrainRun r) {
        ObjectNode node = Json.object().put("id", r.id()).put("deployment", r.deployment()).put("trigger", r.trigger())
                .put("started", r.started().toString()).put("status", r.status().id());
        r.finished().ifPresent(f -> node.put("finished", f.toString()));
        r.dataset().ifPresent(d -> node.put("dataset", d));
        r.runId().ifPresent(d -> node.put("run_id", d));
        r.modelVersion().ifPresent(d -> node.put("model_version", d));
        r.gatePassed().ifPresent(g -> node.put("gate_passed", g));
        return node.put("outcome", r.outcome()).put("error", r.error());
    }

    static RetrainRun run(JsonNode node) {
        return new RetrainRun(node.path("id").asText(), node.path("deployment").asText(), node.path("trigger").asText(),
                Instant.parse(node.path("started").asText()), text(node, "finished").map(Instant::parse),
                RetrainRun.Status.valueOf(node.path("status").asText().toUpperCase(Locale.ROOT)), text(node, "dataset"),
                text(node, "run_id"), text(node, "model_version"), node.hasNonNull("gate_passed")
                        ? Optional.of(node.get("gate_passed").asBoolean()) : Optional.empty(),
                node.path("outcome").asText(), node.path("error").asText());
    }

    private static Optional<String> text(JsonNode node, String field) {
        return node.hasNonNull(field) ? Optional.of(node.get(field).asText()) : Optional.empty();
    }
}
