package dev.seer.server;

import static java.util.Objects.requireNonNull;

import static dev.seer.server.ApiRole.ADMIN;
import static dev.seer.server.ApiRole.AUDITOR;
import static dev.seer.server.ApiRole.OPERATOR;
import static dev.seer.server.ApiRole.SCIENTIST;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.monitoring.alert.AlertEvaluator;
import dev.seer.monitoring.alert.AlertRule;
import dev.seer.monitoring.alert.AlertRules;
import dev.seer.monitoring.alert.Figure;
import dev.seer.monitoring.report.MonitorReport;
import dev.seer.monitoring.report.ReportHtml;
import dev.seer.monitoring.report.ReportText;
import dev.seer.monitoring.watch.AlertStore;
import dev.seer.monitoring.watch.Alerts;
import dev.seer.serving.deploy.Deployment;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Monitoring's operations (issue 18): the alerts and their rules, the alert history, a
 * deployment's stored figures and its drift and performance report. Reading is for every role (an
 * auditor sees what fired and what was acknowledged); adding or removing a rule and acknowledging
 * an alert are for admins, scientists and operators (whoever is on call), and are audited by
 * {@link Alerts}.
 *
 * <p>Every name a request carries is checked here against an allow-list before it reaches the
 * stores: a deployment as {@link Deployment#checkName} checks it, a rule id as {@link AlertRule}
 * does, a figure as four segments of letters, digits, '_', '.', '-' whose first is a deployment
 * name; each refusal names its field. The answers are this class's records, not monitoring's
 * types, so the CLI reads them without depending on {@code seer-monitoring}.
 */
public final class MonitorOperations {
    /** A rule id, as {@link AlertRule} allows it. */
    private static final Pattern RULE_ID = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");
    /** A figure segment, as {@link Figure} allows it. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    /** How far back figures and reports look when {@code from} is not given. */
    static final Duration DEFAULT_RANGE = Duration.ofDays(1);
    static final int DEFAULT_HISTORY = 100;

    /** Who acknowledged a firing alert, when and why. */
    public record Acknowledgement(String by, String note, Instant at) {}

    /**
     * One alert: a rule's state on one figure of one deployment. {@code value} is the figure's last
     * value (NaN before any), {@code since} when the phase was entered (absent before any change).
     */
    public record Alert(String deployment, String rule, String figure, String phase, double value, Optional<Instant> since,
            String severity, boolean noData, Optional<Acknowledgement> acknowledgement) {
        public Alert {
            requireNonNull(since, "since is null");
            requireNonNull(acknowledgement, "acknowledgement is null");
        }
    }

    /** A rule as stored: its fields as {@link AlertRules#parse} reads them, who added it and when. */
    public record Rule(String id, String figure, String comparison, double threshold, int forWindows, String severity,
            Optional<String> createdBy, Optional<Instant> createdAt) {
        /** A rule to add (who and when are the server's). */
        public Rule(String id, String figure, String comparison, double threshold, int forWindows, String severity) {
            this(id, figure, comparison, threshold, forWindows, severity, Optional.empty(), Optional.empty());
        }
    }

    /** An acknowledgement of rule {@code rule}'s firing alerts, on {@code figure} or every figure it fires on. */
    public record Ack(String rule, Optional<String> figure, String note) {
        /** Checked here, so a local CLI's call (which no codec reads) is checked as a request is. */
        public Ack {
            checkRuleId(rule, "rule");
            figure.ifPresent(f -> checkFigure(f, "figure"));
            requireNonNull(note, "note is null");
        }
    }

    /** The listing of alerts, of one phase ({@code firing}, {@code pending}, {@code resolved}, {@code inactive}) or all. */
    public record Listing(Optional<String> phase) {
        public Listing {
            phase.ifPresent(MonitorOperations::checkPhase);
        }
    }

    /** The newest {@code limit} changes of phase, of one deployment or all. */
    public record History(Optional<String> deployment, int limit) {
        public History {
            deployment.ifPresent(d -> checkDeployment(d, "deployment"));
        }
    }

    /** One recorded change of an alert's phase. */
    public record Event(long seq, String deployment, String rule, String figure, String from, String to, double value,
            String comparison, double threshold, int forWindows, String severity, Instant windowStart, Instant windowEnd,
            Instant at) {}

    /** A deployment and a range [from, to); either end may be left to the server (to: now; from: a day before to). */
    public record Range(String deployment, Optional<Instant> from, Optional<Instant> to) {
        public Range {
            checkDeployment(deployment, "name");
            requireNonNull(from, "from is null");
            requireNonNull(to, "to is null");
        }
    }

    /** One stored figure of a window; {@code value} is NaN when the window had no data for it ({@code status} no_data). */
    public record FigureValue(String name, Instant windowStart, Instant windowEnd, double value, String status) {}

    /** A deployment's stored figures over [from, to). */
    public record Figures(String deployment, Instant from, Instant to, List<FigureValue> figures) {
        public Figures {
            figures = List.copyOf(figures);
        }
    }

    /** A deployment's drift and performance report over [from, to): its status ({@code ok}, {@code no_data}), text and self-contained HTML. */
    public record Report(String deployment, Instant from, Instant to, String status, String text, String html) {}

    private static final ApiRole[] READERS = {ADMIN, SCIENTIST, OPERATOR, AUDITOR};
    private static final ApiRole[] WRITERS = {ADMIN, SCIENTIST, OPERATOR};

    public static final Operation<Listing, List<Alert>> ALERTS = Operation
            .<Listing, List<Alert>>get("alerts.list", "/api/v1/alerts").roles(READERS)
            .request(Codec.of(l -> {
                ObjectNode json = Json.object();
                l.phase().ifPresent(p -> json.put("phase", p));
                return json;
            }, q -> new Listing(Fields.optional(q, "phase"))))
            .response(Codec.of(MonitorOperations::alerts, MonitorOperations::alerts))
            .handler((services, l, call) -> services.monitoring().alerts().list(l.phase().map(p -> AlertEvaluator.Phase
                    .valueOf(p.toUpperCase(Locale.ROOT)))).stream().map(MonitorOperations::alert).toList());

    public static final Operation<Ack, List<Alert>> ACK = Operation
            .<Ack, List<Alert>>post("alerts.ack", "/api/v1/alerts/ack").roles(WRITERS)
            .request(Codec.of(MonitorOperations::ack, MonitorOperations::ack))
            .response(Codec.of(MonitorOperations::alerts, MonitorOperations::alerts))
            .handler((services, a, call) -> services.monitoring().alerts().ack(a.rule(), a.figure().orElse(null),
                    call.actor(), a.note()).stream().map(MonitorOperations::alert).toList());

    public static final Operation<Codec.Empty, List<Rule>> RULES = Operation
            .<Codec.Empty, List<Rule>>get("alerts.rules", "/api/v1/alerts/rules").roles(READERS)
            .request(Codec.EMPTY)
            .response(Codec.of(MonitorOperations::rules, MonitorOperations::rules))
            .handler((services, request, call) -> services.monitoring().alerts().rules().stream()
                    .map(MonitorOperations::rule).toList());

    public static final Operation<Rule, Rule> ADD_RULE = Operation
            .<Rule, Rule>post("alerts.rule_add", "/api/v1/alerts/rules").roles(WRITERS)
            .request(Codec.of(MonitorOperations::ruleJson, MonitorOperations::newRule))
            .response(Codec.of(MonitorOperations::ruleJson, MonitorOperations::rule))
            .status(201)
            .handler((services, r, call) -> {
                AlertRule rule = alertRule(r); // checked again: a local CLI's call is not decoded
                String deployment = rule.figure().substring(0, rule.figure().indexOf('/'));
                return rule(services.monitoring().alerts().addRule(rule, services.monitoring().knownFigures(deployment),
                        call.actor()));
            });

    public static final Operation<String, String> REMOVE_RULE = Operation
            .<String, String>delete("alerts.rule_remove", "/api/v1/alerts/rules/{id}").roles(WRITERS)
            .request(Codec.of(id -> Json.object().put("id", id), node -> checkRuleId(Fields.text(node, "id"), "id")))
            .response(Codec.of(id -> Json.object().put("removed", id), node -> Fields.text(node, "removed")))
            .handler((services, id, call) -> {
                services.monitoring().alerts().removeRule(checkRuleId(id, "id"), call.actor());
                return id;
            });

    public static final Operation<History, List<Event>> HISTORY = Operation
            .<History, List<Event>>get("alerts.history", "/api/v1/alerts/history").roles(READERS)
            .request(Codec.of(MonitorOperations::history, MonitorOperations::history))
            .response(Codec.of(MonitorOperations::events, MonitorOperations::events))
            .handler((services, h, call) -> services.monitoring().alerts().history(h.deployment(), h.limit()).stream()
                    .map(MonitorOperations::event).toList());

    public static final Operation<Range, Figures> FIGURES = Operation
            .<Range, Figures>get("monitor.figures", "/api/v1/deployments/{name}/figures").roles(READERS)
            .request(Codec.of(MonitorOperations::range, MonitorOperations::range))
            .response(Codec.of(MonitorOperations::figures, MonitorOperations::figures))
            .handler((services, r, call) -> {
                Instant to = r.to().orElse(services.clock().instant());
                Instant from = r.from().orElse(to.minus(DEFAULT_RANGE));
                checkRange(from, to);
                List<Figure> figures = services.monitoring().figures(r.deployment(), from, to);
                if (figures.isEmpty()) {
                    services.serving().deployments().get(r.deployment()); // an unknown deployment is a 404, not an empty list
                }
                return new Figures(r.deployment(), from, to, figures.stream().map(MonitorOperations::figure).toList());
            });

    public static final Operation<Range, Report> REPORT = Operation
            .<Range, Report>get("monitor.report", "/api/v1/deployments/{name}/monitor/report").roles(READERS)
            .request(Codec.of(MonitorOperations::range, MonitorOperations::range))
            .response(Codec.of(MonitorOperations::report, MonitorOperations::report))
            .handler((services, r, call) -> {
                Instant to = r.to().orElse(services.clock().instant());
                Instant from = r.from().orElse(to.minus(DEFAULT_RANGE));
                checkRange(from, to);
                MonitorReport report = services.monitoring().report(r.deployment(), from, to);
                return new Report(r.deployment(), from, to, report.status().name().toLowerCase(Locale.ROOT),
                        ReportText.render(report), ReportHtml.render(report));
            });

    static final List<Operation<?, ?>> ALL = List.of(ALERTS, ACK, RULES, ADD_RULE, REMOVE_RULE, HISTORY, FIGURES, REPORT);

    private MonitorOperations() {}

    // ---------------------------------------------------------------- checks

    /** A deployment name as {@link Deployment#checkName} allows it, refused naming {@code field}. */
    static String checkDeployment(String name, String field) {
        try {
            return Deployment.checkName(name);
        } catch (SeerException e) {
            throw invalid("[" + field + "] is [" + shown(name) + "]; a deployment name starts with a lower-case letter and"
                    + " holds only a-z, 0-9, '_' or '-' (at most 63)", field);
        }
    }

    static String checkRuleId(String id, String field) {
        if (id == null || !RULE_ID.matcher(id).matches()) {
            throw invalid("[" + field + "] is [" + shown(id) + "]; a rule id is 1 to 64 of a-z, 0-9, '_', '.', '-',"
                    + " starting with a letter or digit", field);
        }
        return id;
    }

    /** A figure name (no pattern): deployment/kind/subject/statistic, the deployment a deployment name. */
    static String checkFigure(String name, String field) {
        String[] segments = name.split("/", -1);
        if (segments.length != 4) {
            throw invalid("[" + field + "] is [" + shown(name) + "]; a figure is deployment/kind/subject/statistic", field);
        }
        checkDeployment(segments[0], field);
        for (String segment : segments) {
            if (!SEGMENT.matcher(segment).matches()) {
                throw invalid("[" + field + "] is [" + shown(name) + "]; a figure's segments are letters, digits, '_', '.',"
                        + " '-'", field);
            }
        }
        return name;
    }

    static String checkPhase(String phase) {
        for (AlertEvaluator.Phase p : AlertEvaluator.Phase.values()) {
            if (p.name().toLowerCase(Locale.ROOT).equals(phase)) {
                return phase;
            }
        }
        throw invalid("[phase] is [" + shown(phase) + "], not one of firing, pending, resolved, inactive", "phase");
    }

    private static void checkRange(Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw invalid("[from] " + from + " must be before [to] " + to, "from");
        }
    }

    /** A refused value as shown in a message: at most 80 characters, control characters escaped. */
    private static String shown(String value) {
        if (value == null) {
            return "";
        }
        String cut = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        StringBuilder out = new StringBuilder();
        cut.codePoints().forEach(c -> out.append(Character.isISOControl(c) ? String.format(Locale.ROOT, "\\u%04x", c)
                : new String(Character.toChars(c))));
        return out.toString();
    }

    private static SeerException invalid(String message, String field) {
        return new SeerException(CoreErrorCode.INVALID_ARGUMENT, message, Map.of("field", field));
    }

    // ---------------------------------------------------------------- values

    private static Alert alert(Alerts.Alert a) {
        AlertEvaluator.State s = a.state();
        return new Alert(a.deployment(), a.rule().id(), s.figure(), s.phase().name().toLowerCase(Locale.ROOT), s.lastValue(),
                Optional.ofNullable(s.since()), a.rule().severity().label(), s.noData(),
                Optional.ofNullable(s.acknowledgement()).map(k -> new Acknowledgement(k.by(), k.note(), k.at())));
    }

    private static Rule rule(AlertStore.StoredRule stored) {
        AlertRule r = stored.rule();
        return new Rule(r.id(), r.figure(), r.comparison().symbol(), r.threshold(), r.forWindows(), r.severity().label(),
                Optional.of(stored.createdBy()), Optional.of(stored.createdAt()));
    }

    /** The rule, checked as {@link AlertRule} checks it, its deployment segment a deployment name or {@code *}. */
    private static AlertRule alertRule(Rule r) {
        AlertRule rule = new AlertRule(r.id(), r.figure(), AlertRule.Comparison.parse(r.comparison()), r.threshold(),
                r.forWindows(), AlertRule.Severity.parse(r.severity()));
        String deployment = rule.figure().substring(0, rule.figure().indexOf('/'));
        if (!deployment.equals("*")) {
            checkDeployment(deployment, "figure");
        }
        return rule;
    }

    private static Event event(AlertStore.Event e) {
        AlertEvaluator.Transition t = e.transition();
        return new Event(e.seq(), e.deployment(), t.ruleId(), t.figure(), t.from().name().toLowerCase(Locale.ROOT),
                t.to().name().toLowerCase(Locale.ROOT), t.value(), t.comparison(), t.threshold(), t.forWindows(),
                t.severity().label(), t.windowStart(), t.windowEnd(), t.at());
    }

    private static FigureValue figure(Figure f) {
        return new FigureValue(f.name(), f.windowStart(), f.windowEnd(), f.value(), f.status().name().toLowerCase(Locale.ROOT));
    }

    // ---------------------------------------------------------------- JSON

    /** A finite number, or null: JSON has no NaN. */
    private static void number(ObjectNode json, String field, double value) {
        if (Double.isFinite(value)) {
            json.put(field, value);
        } else {
            json.putNull(field);
        }
    }

    private static double number(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || !value.isNumber() ? Double.NaN : value.doubleValue();
    }

    private static Optional<Instant> instant(JsonNode json, String field) {
        return json.hasNonNull(field) ? Optional.of(Instant.parse(json.get(field).asText())) : Optional.empty();
    }

    private static ObjectNode alerts(List<Alert> alerts) {
        ObjectNode json = Json.object();
        ArrayNode all = json.putArray("alerts");
        for (Alert a : alerts) {
            ObjectNode o = all.addObject().put("deployment", a.deployment()).put("rule", a.rule()).put("figure", a.figure())
                    .put("phase", a.phase());
            number(o, "value", a.value());
            a.since().ifPresentOrElse(t -> o.put("since", t.toString()), () -> o.putNull("since"));
            o.put("severity", a.severity()).put("no_data", a.noData());
            a.acknowledgement().ifPresentOrElse(k -> o.putObject("acknowledgement").put("by", k.by()).put("note", k.note())
                    .put("at", k.at().toString()), () -> o.putNull("acknowledgement"));
        }
        return json;
    }

    private static List<Alert> alerts(JsonNode json) {
        return ApiJson.list(json.path("alerts"), o -> new Alert(o.path("deployment").asText(), o.path("rule").asText(),
                o.path("figure").asText(), o.path("phase").asText(), number(o, "value"), instant(o, "since"),
                o.path("severity").asText(), o.path("no_data").asBoolean(), o.hasNonNull("acknowledgement")
                        ? Optional.of(new Acknowledgement(o.path("acknowledgement").path("by").asText(),
                                o.path("acknowledgement").path("note").asText(),
                                Instant.parse(o.path("acknowledgement").path("at").asText())))
                        : Optional.empty()));
    }

    private static ObjectNode ack(Ack a) {
        ObjectNode json = Json.object().put("rule", a.rule()).put("note", a.note());
        a.figure().ifPresent(f -> json.put("figure", f));
        return json;
    }

    /** Body {@code {rule, figure, note}}: figure optional (every figure the rule fires on), note optional text. */
    private static Ack ack(JsonNode body) {
        String rule = checkRuleId(Fields.text(body, "rule"), "rule");
        JsonNode figure = body.get("figure");
        if (figure != null && !figure.isNull() && !figure.isTextual()) {
            throw invalid("[figure] must be a figure's name, got [" + shown(figure.toString()) + "]", "figure");
        }
        JsonNode note = body.get("note");
        if (note != null && !note.isNull() && !note.isTextual()) {
            throw invalid("[note] must be text", "note");
        }
        return new Ack(rule, Fields.optional(body, "figure").map(f -> checkFigure(f, "figure")),
                note == null || note.isNull() ? "" : note.asText());
    }

    private static ObjectNode rules(List<Rule> rules) {
        ObjectNode json = Json.object();
        ArrayNode all = json.putArray("rules");
        rules.forEach(r -> all.add(ruleJson(r)));
        return json;
    }

    private static List<Rule> rules(JsonNode json) {
        return ApiJson.list(json.path("rules"), MonitorOperations::rule);
    }

    private static ObjectNode ruleJson(Rule r) {
        ObjectNode json = Json.object().put("id", r.id()).put("figure", r.figure()).put("comparison", r.comparison())
                .put("threshold", r.threshold()).put("for", r.forWindows()).put("severity", r.severity());
        r.createdBy().ifPresent(b -> json.put("created_by", b));
        r.createdAt().ifPresent(t -> json.put("created_at", t.toString()));
        return json;
    }

    private static Rule rule(JsonNode o) {
        return new Rule(o.path("id").asText(), o.path("figure").asText(), o.path("comparison").asText(),
                o.path("threshold").asDouble(), o.path("for").asInt(), o.path("severity").asText(),
                Optional.ofNullable(o.get("created_by")).map(JsonNode::asText), instant(o, "created_at"));
    }

    /**
     * A rule to add, in {@link AlertRules#parse}'s fields (unknown fields refused, each value's type
     * checked there); its figure's deployment segment is a deployment name or {@code *}.
     */
    private static Rule newRule(JsonNode body) {
        if (!body.isObject()) {
            throw invalid("A rule is a JSON object of id, figure, comparison, threshold, for, severity", "id");
        }
        Map<String, Object> fields = Json.mapper().convertValue(body, Json.mapper().getTypeFactory()
                .constructMapType(Map.class, String.class, Object.class));
        AlertRule rule = AlertRules.parse(fields);
        alertRule(new Rule(rule.id(), rule.figure(), rule.comparison().symbol(), rule.threshold(), rule.forWindows(),
                rule.severity().label()));
        return new Rule(rule.id(), rule.figure(), rule.comparison().symbol(), rule.threshold(), rule.forWindows(),
                rule.severity().label());
    }

    private static ObjectNode history(History h) {
        ObjectNode json = Json.object().put("limit", Integer.toString(h.limit()));
        h.deployment().ifPresent(d -> json.put("deployment", d));
        return json;
    }

    /** Query {@code deployment} (optional) and {@code limit} (1 to 1,000, default 100). */
    private static History history(JsonNode query) {
        return new History(Fields.optional(query, "deployment").map(d -> checkDeployment(d, "deployment")),
                Fields.queryInt(query, "limit", DEFAULT_HISTORY));
    }

    private static ObjectNode events(List<Event> events) {
        ObjectNode json = Json.object();
        ArrayNode all = json.putArray("events");
        for (Event e : events) {
            ObjectNode o = all.addObject().put("seq", e.seq()).put("deployment", e.deployment()).put("rule", e.rule())
                    .put("figure", e.figure()).put("from", e.from()).put("to", e.to());
            number(o, "value", e.value());
            o.put("comparison", e.comparison()).put("threshold", e.threshold()).put("for", e.forWindows())
                    .put("severity", e.severity()).put("window_start", e.windowStart().toString())
                    .put("window_end", e.windowEnd().toString()).put("at", e.at().toString());
        }
        return json;
    }

    private static List<Event> events(JsonNode json) {
        return ApiJson.list(json.path("events"), o -> new Event(o.path("seq").asLong(), o.path("deployment").asText(),
                o.path("rule").asText(), o.path("figure").asText(), o.path("from").asText(), o.path("to").asText(),
                number(o, "value"), o.path("comparison").asText(), o.path("threshold").asDouble(), o.path("for").asInt(),
                o.path("severity").asText(), Instant.parse(o.path("window_start").asText()),
                Instant.parse(o.path("window_end").asText()), Instant.parse(o.path("at").asText())));
    }

    private static ObjectNode range(Range r) {
        ObjectNode json = Json.object().put("name", r.deployment());
        r.from().ifPresent(f -> json.put("from", f.toString()));
        r.to().ifPresent(t -> json.put("to", t.toString()));
        return json;
    }

    /** Path {@code name}; query {@code from}, {@code to} (ISO-8601; default the day before now). */
    private static Range range(JsonNode query) {
        return new Range(checkDeployment(Fields.text(query, "name"), "name"), Fields.queryInstant(query, "from"),
                Fields.queryInstant(query, "to"));
    }

    private static ObjectNode figures(Figures f) {
        ObjectNode json = Json.object().put("deployment", f.deployment()).put("from", f.from().toString())
                .put("to", f.to().toString());
        ArrayNode all = json.putArray("figures");
        for (FigureValue v : f.figures()) {
            ObjectNode o = all.addObject().put("name", v.name()).put("window_start", v.windowStart().toString())
                    .put("window_end", v.windowEnd().toString());
            number(o, "value", v.value());
            o.put("status", v.status());
        }
        return json;
    }

    private static Figures figures(JsonNode json) {
        return new Figures(json.path("deployment").asText(), Instant.parse(json.path("from").asText()),
                Instant.parse(json.path("to").asText()), ApiJson.list(json.path("figures"), o -> new FigureValue(
                        o.path("name").asText(), Instant.parse(o.path("window_start").asText()),
                        Instant.parse(o.path("window_end").asText()), number(o, "value"), o.path("status").asText())));
    }

    private static ObjectNode report(Report r) {
        return Json.object().put("deployment", r.deployment()).put("from", r.from().toString()).put("to", r.to().toString())
                .put("status", r.status()).put("text", r.text()).put("html", r.html());
    }

    private static Report report(JsonNode json) {
        return new Report(json.path("deployment").asText(), Instant.parse(json.path("from").asText()),
                Instant.parse(json.path("to").asText()), json.path("status").asText(), json.path("text").asText(),
                json.path("html").asText());
    }
}
