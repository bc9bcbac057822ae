package dev.seer.server;

import static dev.seer.server.ApiRole.ADMIN;
import static dev.seer.server.ApiRole.AUDITOR;
import static dev.seer.server.ApiRole.OPERATOR;
import static dev.seer.server.ApiRole.SCIENTIST;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.datasets.DatasetRef;
import dev.seer.datasets.LineageReport;
import dev.seer.models.ModelFormat;
import dev.seer.models.Signature;
import dev.seer.registry.tracking.Run;
import dev.seer.registry.tracking.RunProvenance;
import dev.seer.registry.versions.AliasMove;
import dev.seer.registry.versions.ModelVersion;
import dev.seer.registry.versions.RegisteredModel;
import dev.seer.registry.versions.VersionCheck;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The model registry in Seer's own API: registered models, versions (from a run, or imported),
 * checks, aliases and their history. Reading is for all who read; registering for scientists;
 * moving an alias also for operators (they deploy); protecting one, and overriding a protection,
 * for admins only.
 */
public final class ModelOperations {
    /** A registered model with every version. */
    public record ModelView(RegisteredModel model, List<ModelVersion> versions) {}

    /** A version of a model. */
    public record VersionRef(String model, int version) {}

    /** The model in folder {@code folder} of run {@code run}, as the next version of {@code model}. */
    public record Register(String model, String run, String folder, Optional<String> format, Optional<String> signature,
            String description) {}

    /** A model file trained elsewhere, checked against {@code signature}. */
    public record Import(String model, Path file, String format, String signature, String description) {}

    /** Points {@code alias} at {@code version}; {@code override} (a reason) only for admins. */
    public record SetAlias(String model, String alias, int version, String reason, Optional<String> override) {}

    /** Removes {@code alias}. */
    public record RemoveAlias(String model, String alias, String reason, Optional<String> override) {}

    /** Protects {@code alias} by {@code check}. */
    public record Protect(String model, String alias, String check) {}

    /** The outcome of {@code check} on a version. */
    public record Check(String model, int version, String check, boolean passed, String detail) {}

    /** Which version {@code alias} pointed at at {@code time}. */
    public record At(String model, String alias, Instant time) {}

    /** The answer to {@link At}: empty when the alias pointed nowhere then. */
    public record AtAnswer(String model, String alias, Instant time, Optional<Integer> version) {}

    /** A model version and where it came from: the run that made it, and the dataset version's lineage. */
    public record Lineage(ModelVersion version, Optional<Run> run, Optional<LineageReport> dataset) {}

    private static final ApiRole[] READERS = {ADMIN, SCIENTIST, OPERATOR, AUDITOR};

    public static final Operation<Codec.Empty, List<RegisteredModel>> MODELS = Operation
            .<Codec.Empty, List<RegisteredModel>>get("models.list", "/api/v1/models").roles(READERS).request(Codec.EMPTY)
            .response(Codec.of(list -> ApiJson.list(list, RegistryJson::model),
                    node -> ApiJson.list(node, RegistryJson::model)))
            .handler((services, request, call) -> services.models().models());

    public static final Operation<String, ModelView> MODEL = Operation
            .<String, ModelView>get("models.show", "/api/v1/models/{model}").roles(READERS)
            .request(Codec.of(model -> Json.object().put("model", model), node -> Fields.text(node, "model")))
            .response(Codec.of(ModelOperations::view, ModelOperations::view))
            .handler((services, model, call) -> new ModelView(services.models().model(model),
                    services.models().versions(model)));

    public static final Operation<VersionRef, ModelVersion> VERSION = Operation
            .<VersionRef, ModelVersion>get("models.version", "/api/v1/models/{model}/versions/{version}").roles(READERS)
            .request(Codec.of(v -> Json.object().put("model", v.model()).put("version", Integer.toString(v.version())),
                    node -> new VersionRef(Fields.text(node, "model"), version(node))))
            .response(Codec.of(RegistryJson::version, RegistryJson::version))
            .handler((services, v, call) -> services.models().version(v.model(), v.version()));

    public static final Operation<Register, ModelVersion> REGISTER = Operation
            .<Register, ModelVersion>post("models.register", "/api/v1/models/{model}/versions").roles(ADMIN, SCIENTIST)
            .status(201).request(Codec.of(ModelOperations::register, ModelOperations::register))
            .response(Codec.of(RegistryJson::version, RegistryJson::version))
            .handler((services, r, call) -> new ModelRegistration(services).fromRun(new ModelRegistration.FromRun(
                    r.model(), r.run(), r.folder(), r.format(), r.signature(), r.description()), call.actor()));

    public static final Operation<Import, ModelVersion> IMPORT = Operation
            .<Import, ModelVersion>post("models.import", "/api/v1/models/{model}/import").roles(ADMIN, SCIENTIST)
            .status(201).input(Operation.FileInput.file("file"))
            .request(Codec.of(ModelOperations::importing, ModelOperations::importing))
            .response(Codec.of(RegistryJson::version, RegistryJson::version))
            .handler((services, i, call) -> new ModelRegistration(services).importFile(i.model(), i.file(),
                    ModelFormat.parse(i.format()), Signature.parse(i.signature()), i.description(), call.actor()));

    public static final Operation<SetAlias, AliasMove> SET_ALIAS = Operation
            .<SetAlias, AliasMove>post("models.alias", "/api/v1/models/{model}/aliases/{alias}")
            .roles(ADMIN, SCIENTIST, OPERATOR).request(Codec.of(ModelOperations::setAlias, ModelOperations::setAlias))
            .response(Codec.of(RegistryJson::move, RegistryJson::move))
            .handler((services, a, call) -> services.models().setAlias(a.model(), a.alias(), a.version(), a.reason(),
                    override(a.override(), call), call.actor()));

    public static final Operation<RemoveAlias, AliasMove> REMOVE_ALIAS = Operation
            .<RemoveAlias, AliasMove>delete("models.unalias", "/api/v1/models/{model}/aliases/{alias}")
            .roles(ADMIN, SCIENTIST, OPERATOR)
            .request(Codec.of(r -> {
                ObjectNode node = Json.object().put("model", r.model()).put("alias", r.alias()).put("reason", r.reason());
                r.override().ifPresent(o -> node.put("override", o));
                return node;
            }, node -> new RemoveAlias(Fields.text(node, "model"), Fields.text(node, "alias"),
                    Fields.optional(node, "reason").orElse(""), Fields.optional(node, "override"))))
            .response(Codec.of(RegistryJson::move, RegistryJson::move))
            .handler((services, r, call) -> services.models().removeAlias(r.model(), r.alias(), r.reason(),
                    override(r.override(), call), call.actor()));

    public static final Operation<Protect, Protect> PROTECT = Operation
            .<Protect, Protect>post("models.protect", "/api/v1/models/{model}/aliases/{alias}/protect").roles(ADMIN)
            .request(Codec.of(ModelOperations::protect, ModelOperations::protect))
            .response(Codec.of(ModelOperations::protect, ModelOperations::protect))
            .handler((services, p, call) -> {
                services.models().protect(p.model(), p.alias(), p.check(), call.actor());
                return p;
            });

    public static final Operation<Check, VersionCheck> CHECK = Operation
            .<Check, VersionCheck>post("models.check", "/api/v1/models/{model}/versions/{version}/checks")
            .roles(ADMIN, SCIENTIST).request(Codec.of(ModelOperations::check, ModelOperations::check))
            .response(Codec.of(RegistryJson::check, RegistryJson::check))
            .handler((services, c, call) -> services.models().recordCheck(c.model(), c.version(), c.check(), c.passed(),
                    c.detail(), call.actor()));

    public static final Operation<String, List<AliasMove>> HISTORY = Operation
            .<String, List<AliasMove>>get("models.history", "/api/v1/models/{model}/history").roles(READERS)
            .request(Codec.of(model -> Json.object().put("model", model), node -> Fields.text(node, "model")))
            .response(Codec.of(list -> ApiJson.list(list, RegistryJson::move),
                    node -> ApiJson.list(node, RegistryJson::move)))
            .handler((services, model, call) -> services.models().history(model));

    public static final Operation<At, AtAnswer> AT = Operation
            .<At, AtAnswer>get("models.at", "/api/v1/models/{model}/at").roles(READERS)
            .request(Codec.of(a -> Json.object().put("model", a.model()).put("alias", a.alias()).put("time",
                    a.time().toString()), node -> new At(Fields.text(node, "model"), Fields.optional(node, "alias")
                    .orElse("champion"), Fields.instant(node, "time"))))
            .response(Codec.of(ModelOperations::atAnswer, ModelOperations::atAnswer))
            .handler((services, a, call) -> new AtAnswer(a.model(), a.alias(), a.time(), services.models().at(a.model(),
                    a.alias(), a.time())));

    /** Model version → run → dataset version → view versions → ingested batches. */
    public static final Operation<VersionRef, Lineage> LINEAGE = Operation
            .<VersionRef, Lineage>get("models.lineage", "/api/v1/models/{model}/versions/{version}/lineage").roles(READERS)
            .request(Codec.of(v -> Json.object().put("model", v.model()).put("version", Integer.toString(v.version())),
                    node -> new VersionRef(Fields.text(node, "model"), version(node))))
            .response(Codec.of(ModelOperations::lineage, ModelOperations::lineage))
            .handler((services, v, call) -> lineage(services, services.models().version(v.model(), v.version())));

    static final List<Operation<?, ?>> ALL = List.of(MODELS, MODEL, VERSION, REGISTER, IMPORT, SET_ALIAS, REMOVE_ALIAS,
            PROTECT, CHECK, HISTORY, AT, LINEAGE);

    private ModelOperations() {}

    /** An override is an admin's; anyone else asking for one is refused, whatever the alias. */
    private static Optional<String> override(Optional<String> override, Call call) {
        if (override.isPresent() && !call.admin()) {
            throw new SeerException(ServerErrorCode.ROLE_NOT_ALLOWED, "Only an admin may override an alias's protection",
                    Map.of("field", "override"));
        }
        return override;
    }

    private static Lineage lineage(SeerServices services, ModelVersion version) {
        Optional<Run> run = version.runId().map(id -> services.tracking().run(id));
        Optional<String> dataset = version.details().dataset().or(() -> run.flatMap(Run::provenance)
                .flatMap(RunProvenance::dataset));
        return new Lineage(version, run, dataset.map(d -> services.datasets().lineage(DatasetRef.parse(d))));
    }

    private static ObjectNode lineage(Lineage l) {
        ObjectNode node = Json.object();
        node.set("version", RegistryJson.version(l.version()));
        node.set("run", l.run().<JsonNode>map(RegistryJson::run).orElse(Json.mapper().nullNode()));
        node.set("dataset", l.dataset().map(DatasetAnswers.LINEAGE::encode).orElse(Json.mapper().nullNode()));
        return node;
    }

    private static Lineage lineage(JsonNode node) {
        JsonNode run = node.get("run");
        JsonNode dataset = node.get("dataset");
        return new Lineage(RegistryJson.version(node.get("version")), run == null || run.isNull() ? Optional.empty()
                : Optional.of(RegistryJson.run(run)), dataset == null || dataset.isNull() ? Optional.empty()
                : Optional.of(DatasetAnswers.LINEAGE.decode(dataset)));
    }

    static int version(JsonNode node) {
        long version = Fields.pathNumber(node, "version");
        if (version < 1 || version > Integer.MAX_VALUE) {
            throw new SeerException(dev.seer.core.CoreErrorCode.INVALID_ARGUMENT, "Version [" + version + "] must be a"
                    + " positive whole number", Map.of("field", "version"));
        }
        return (int) version;
    }

    private static ObjectNode view(ModelView v) {
        ObjectNode node = RegistryJson.model(v.model());
        node.set("versions", ApiJson.list(v.versions(), RegistryJson::version));
        return node;
    }

    private static ModelView view(JsonNode node) {
        return new ModelView(RegistryJson.model(node), ApiJson.list(node.get("versions"), RegistryJson::version));
    }

    private static ObjectNode register(Register r) {
        ObjectNode node = Json.object().put("model", r.model()).put("run", r.run()).put("folder", r.folder())
                .put("description", r.description());
        r.format().ifPresent(f -> node.put("format", f));
        r.signature().ifPresent(s -> node.put("signature", s));
        return node;
    }

    private static Register register(JsonNode node) {
        return new Register(Fields.text(node, "model"), Fields.text(node, "run"), Fields.optional(node, "folder")
                .orElse("model"), Fields.optional(node, "format"), Fields.optional(node, "signature"),
                Fields.optional(node, "description").orElse(""));
    }

    private static ObjectNode importing(Import i) {
        return Json.object().put("model", i.model()).put("file", i.file().toString()).put("format", i.format())
                .put("signature", i.signature()).put("description", i.description());
    }

    private static Import importing(JsonNode node) {
        return new Import(Fields.text(node, "model"), Path.of(Fields.text(node, "file")), Fields.text(node, "format"),
                Fields.text(node, "signature"), Fields.optional(node, "description").orElse(""));
    }

    private static ObjectNode setAlias(SetAlias a) {
        ObjectNode node = Json.object().put("model", a.model()).put("alias", a.alias()).put("version", a.version())
                .put("reason", a.reason());
        a.override().ifPresent(o -> node.put("override", o));
        return node;
    }

    private static SetAlias setAlias(JsonNode node) {
        JsonNode version = node.get("version");
        if (version == null || !version.canConvertToInt() || version.asInt() < 1) {
            throw new SeerException(dev.seer.core.CoreErrorCode.INVALID_ARGUMENT, "Field [version] must be a positive whole"
                    + " number", Map.of("field", "version"));
        }
        return new SetAlias(Fields.text(node, "model"), Fields.text(node, "alias"), version.asInt(),
                Fields.optional(node, "reason").orElse(""), Fields.optional(node, "override"));
    }

    private static ObjectNode protect(Protect p) {
        return Json.object().put("model", p.model()).put("alias", p.alias()).put("check", p.check());
    }

    private static Protect protect(JsonNode node) {
        return new Protect(Fields.text(node, "model"), Fields.text(node, "alias"), Fields.text(node, "check"));
    }

    private static ObjectNode check(Check c) {
        return Json.object().put("model", c.model()).put("version", Integer.toString(c.version())).put("check", c.check())
                .put("passed", c.passed()).put("detail", c.detail());
    }

    private static Check check(JsonNode node) {
        JsonNode passed = node.get("passed");
        if (passed == null || !passed.isBoolean()) {
            throw new SeerException(dev.seer.core.CoreErrorCode.INVALID_ARGUMENT, "Field [passed] must be true or false",
                    Map.of("field", "passed"));
        }
        return new Check(Fields.text(node, "model"), version(node), Fields.text(node, "check"), passed.asBoolean(),
                Fields.optional(node, "detail").orElse(""));
    }

    private static ObjectNode atAnswer(AtAnswer a) {
        return Json.object().put("model", a.model()).put("alias", a.alias()).put("time", a.time().toString())
                .put("version", a.version().orElse(null));
    }

    private static AtAnswer atAnswer(JsonNode node) {
        dev.seer.core.provenance.Fields f = new dev.seer.core.provenance.Fields(node, "alias at a time");
        return new AtAnswer(f.text("model"), f.text("alias"), f.instant("time"), f.present("version")
                ? Optional.of(f.integer("version")) : Optional.empty());
    }
}
