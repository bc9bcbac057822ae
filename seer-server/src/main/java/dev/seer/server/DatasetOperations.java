package dev.seer.server;

import static dev.seer.server.ApiRole.ADMIN;
import static dev.seer.server.ApiRole.AUDITOR;
import static dev.seer.server.ApiRole.OPERATOR;
import static dev.seer.server.ApiRole.SCIENTIST;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.datasets.DatasetDiff;
import dev.seer.datasets.DatasetRef;
import dev.seer.datasets.DatasetStore;
import dev.seer.datasets.DatasetVersion;
import dev.seer.datasets.LineageReport;
import dev.seer.datasets.SplitSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Versioned datasets: {@code POST /api/v1/datasets/<operation>} with a JSON body. Reading is for
 * all who read data, writing for scientists. The answers are typed values ({@link DatasetAnswers}
 * has their JSON, which the CLI prints with {@code --json}). Create and import read a file (uploaded, or a path inside the server's file
 * roots); export writes one, sent back as the response body when the request names no path.
 */
public final class DatasetOperations {
    /** A split of the rows: {@code key} or {@code time} on {@code columns}, by fractions such as {@code 0.8,0.1,0.1}. */
    public record Split(String method, List<String> columns, String fractions) {}

    /** The next version of {@code name}: the point-in-time join of {@code features} to the entity file. */
    public record Create(String name, Path entities, List<String> features, Optional<String> label, boolean filterByCreated,
            Optional<Split> split) {}

    /** The next version of {@code name}: a file stored as it is (Parquet) or as Parquet (CSV, JSON lines). */
    public record Import(String name, Path file, List<String> key, Optional<String> label, Optional<Split> split) {}

    /** Two versions compared by key (default: the key both recorded). */
    public record Diff(String a, String b, List<String> key) {}

    /** A version's data, or one split, written to {@code out}. */
    public record Export(String dataset, Optional<String> split, Path out) {}

    public static final Operation<Codec.Empty, List<DatasetVersion>> LIST = read("list", Codec.EMPTY, DatasetAnswers.VERSIONS,
            (services, request, call) -> services.datasets().list());

    public static final Operation<String, List<DatasetVersion>> VERSIONS = read("versions", text("name"),
            DatasetAnswers.VERSIONS, (services, name, call) -> services.datasets().versions(name));

    public static final Operation<String, DatasetVersion> SHOW = read("show", text("dataset"), DatasetAnswers.VERSION,
            (services, dataset, call) -> services.datasets().get(DatasetRef.parse(dataset)));

    public static final Operation<String, LineageReport> LINEAGE = read("lineage", text("dataset"), DatasetAnswers.LINEAGE,
            (services, dataset, call) -> services.datasets().lineage(DatasetRef.parse(dataset)));

    public static final Operation<Diff, DatasetDiff> DIFF = builder("diff", Codec.of(DatasetOperations::diff,
            DatasetOperations::diff), DatasetAnswers.DIFF).roles(ADMIN, SCIENTIST, AUDITOR)
            .handler((services, d, call) -> services.datasets().diff(DatasetRef.parse(d.a()), DatasetRef.parse(d.b()),
                    d.key()));

    /** The answer is where the file was written: the request's path, or the local file a remote CLI saved it to. */
    public static final Operation<Export, Path> EXPORT = builder("export", Codec.of(DatasetOperations::export,
            DatasetOperations::export), Codec.of((Path out) -> Json.object().put("out", out.toString()),
            node -> Path.of(Http.requiredText(node, "out")))).roles(ADMIN, SCIENTIST)
            .output(Operation.FileOutput.parquet("out", "out"))
            .handler((services, e, call) -> services.datasets().export(DatasetRef.parse(e.dataset()), e.split(), e.out()));

    public static final Operation<Create, DatasetStore.Written> CREATE = builder("create", Codec.of(DatasetOperations::create,
            DatasetOperations::create), DatasetAnswers.WRITTEN).roles(ADMIN, SCIENTIST)
            .input(Operation.FileInput.file("entities"))
            .handler((services, c, call) -> services.datasets().create(c.name(), new DatasetStore.CreateRequest(
                    c.entities(), c.features(), c.label(), c.filterByCreated(), c.split().map(DatasetOperations::spec)),
                    call.actor(), call.progress()));

    public static final Operation<Import, DatasetStore.Written> IMPORT = builder("import", Codec.of(
            DatasetOperations::importing, DatasetOperations::importing), DatasetAnswers.WRITTEN).roles(ADMIN, SCIENTIST)
            .input(Operation.FileInput.file("file"))
            .handler((services, i, call) -> services.datasets().importFile(i.name(), new DatasetStore.ImportRequest(
                    i.file(), i.key(), i.label(), i.split().map(DatasetOperations::spec)), call.actor(), call.progress()));

    public static final Operation<String, DatasetStore.Reproduction> REPRODUCE = builder("reproduce", text("dataset"),
            DatasetAnswers.REPRODUCTION).roles(ADMIN, SCIENTIST, AUDITOR)
            .handler((services, dataset, call) -> services.datasets().reproduce(DatasetRef.parse(dataset), call.progress()));

    public static final Operation<Codec.Empty, DatasetStore.Verification> VERIFY = builder("verify", Codec.EMPTY,
            DatasetAnswers.VERIFICATION).roles(ADMIN, OPERATOR, AUDITOR)
            .handler((services, request, call) -> services.datasets().verify(call.progress()));

    /** Removes unreferenced objects and leftovers; with {@code dry run} (the request) only lists them. */
    public static final Operation<Boolean, DatasetStore.GarbageReport> GC = builder("gc", Codec.of(
            (Boolean dryRun) -> Json.object().put("dry_run", dryRun), node -> Fields.flag(node, "dry_run")),
            DatasetAnswers.GARBAGE).roles(ADMIN, OPERATOR)
            .handler((services, dryRun, call) -> services.datasets().gc(dryRun, call.actor()));

    static final List<Operation<?, ?>> ALL = List.of(LIST, VERSIONS, SHOW, LINEAGE, DIFF, EXPORT, CREATE, IMPORT, REPRODUCE,
            VERIFY, GC);

    private DatasetOperations() {}

    private static <I, O> Operation.Builder<I, O> builder(String name, Codec<I> request, Codec<O> response) {
        // Every dataset route took multipart before issue 13 (and CLIs of then send it): so it still does.
        return Operation.<I, O>post("dataset." + name, "/api/v1/datasets/" + name).multipart().request(request)
                .response(response);
    }

    private static <I, O> Operation<I, O> read(String name, Codec<I> request, Codec<O> response,
            Operation.Handler<I, O> handler) {
        return builder(name, request, response).roles(ADMIN, SCIENTIST, OPERATOR, AUDITOR).handler(handler);
    }

    /** A request of one required text field. */
    private static Codec<String> text(String field) {
        return Codec.of(value -> Json.object().put(field, value), node -> Http.requiredText(node, field));
    }

    private static ObjectNode create(Create c) {
        ObjectNode node = Json.object().put("name", c.name()).put("entities", c.entities().toString())
                .put("label", c.label().orElse(null)).put("filter_by_created_timestamp", c.filterByCreated());
        c.features().forEach(node.putArray("features")::add);
        c.split().ifPresent(split -> node.set("split", split(split)));
        return node;
    }

    private static Create create(JsonNode node) {
        return new Create(Fields.text(node, "name"), Path.of(Fields.text(node, "entities")), texts(node, "features"),
                Fields.optional(node, "label"), Fields.flag(node, "filter_by_created_timestamp"), split(node));
    }

    private static ObjectNode importing(Import i) {
        ObjectNode node = Json.object().put("name", i.name()).put("file", i.file().toString())
                .put("label", i.label().orElse(null));
        i.key().forEach(node.putArray("key")::add);
        i.split().ifPresent(split -> node.set("split", split(split)));
        return node;
    }

    private static Import importing(JsonNode node) {
        return new Import(Fields.text(node, "name"), Path.of(Fields.text(node, "file")), texts(node, "key"),
                Fields.optional(node, "label"), split(node));
    }

    private static ObjectNode diff(Diff d) {
        ObjectNode node = Json.object().put("a", d.a()).put("b", d.b());
        d.key().forEach(node.putArray("key")::add);
        return node;
    }

    private static Diff diff(JsonNode node) {
        return new Diff(Fields.text(node, "a"), Fields.text(node, "b"), texts(node, "key"));
    }

    private static ObjectNode export(Export e) {
        return Json.object().put("dataset", e.dataset()).put("out", e.out().toString()).put("split", e.split().orElse(null));
    }

    private static Export export(JsonNode node) {
        return new Export(Fields.text(node, "dataset"), Fields.optional(node, "split"), Path.of(Fields.text(node, "out")));
    }

    /** The request of a split: {@code split: {method: key|time, columns: [...], fractions: "0.8,0.1,0.1"}}. */
    private static ObjectNode split(Split split) {
        ObjectNode node = Json.object().put("method", split.method()).put("fractions", split.fractions());
        split.columns().forEach(node.putArray("columns")::add);
        return node;
    }

    private static Optional<Split> split(JsonNode request) {
        JsonNode split = request.path("split");
        if (!split.isObject()) {
            return Optional.empty();
        }
        Split parsed = new Split(split.path("method").asText(), texts(split, "columns"),
                split.path("fractions").asText("0.8,0.1,0.1"));
        spec(parsed); // refused here, naming the field, rather than after the upload was stored
        return Optional.of(parsed);
    }

    private static SplitSpec spec(Split split) {
        SplitSpec.Method method = switch (split.method()) {
            case "key" -> SplitSpec.Method.KEY;
            case "time" -> SplitSpec.Method.TIME;
            default -> throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "[split.method] must be key or time, not ["
                    + split.method() + "]", Map.of("field", "split.method"));
        };
        return SplitSpec.parse(method, split.columns(), split.fractions());
    }

    /** A list of strings; absent is empty, anything but a list of strings is refused, naming the field. */
    private static List<String> texts(JsonNode request, String field) {
        JsonNode array = request.path(field);
        List<String> texts = new ArrayList<>();
        if (array.isMissingNode() || array.isNull()) {
            return texts;
        }
        if (!array.isArray()) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "[" + field + "] must be a list of strings", Map.of("field",
                    field));
        }
        array.forEach(t -> texts.add(t.asText()));
        return texts;
    }
}
