package dev.seer.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One API operation, declared once: its route (method and path, with path fields such as
 * {@code /api/v1/tokens/{token}}), the roles that may call it, the JSON of its request and
 * response, its file fields, and its handler on {@link SeerServices}. Everything else follows
 * from the declaration: the server's route ({@link OperationRoute}), with the roles enforced by
 * {@link Authenticator}; the CLI's local mode, which calls {@link #handle} in-process; and its
 * remote mode, which encodes the request, sends it to {@link #path}, and decodes the answer with
 * the same codecs the server used.
 *
 * <p>The request JSON a handler's decoder sees is the body (or the {@code request} part of a
 * multipart body) with the path fields and, for GET and DELETE, the query parameters merged in
 * as text. A file input is uploaded by a remote CLI as multipart parts, or named as a server
 * path inside the file roots; either way the decoder sees the server path. A file output the
 * request leaves out is written to a scratch file and streamed back as the response body (see
 * {@link RequestFiles}).
 */
public final class Operation<I, O> {
    /** The HTTP methods operations use. */
    public enum Method { GET, POST, DELETE }

    /** What an operation does, given the services of the home, its request and the call. */
    @FunctionalInterface
    public interface Handler<I, O> {
        O handle(SeerServices services, I request, Call call);
    }

    /** Writes a result straight into the response, for a route whose answer must not be built as a tree first. */
    @FunctionalInterface
    interface Writer<O> {
        void write(Context ctx, O result) throws IOException;
    }

    private static final Pattern PATH_FIELD = Pattern.compile("\\{([a-z_]+)}");

    private final String name;
    private final Method method;
    private final String path;
    private final Set<ApiRole> roles;
    private final List<String> pathFields;
    private final List<FileInput> inputs;
    private final List<FileOutput> outputs;
    private final Codec<I> request;
    private final Codec<O> response;
    private final ToIntFunction<O> status;
    private final Optional<Writer<O>> writer;
    private final Optional<String> bodyField;
    private final boolean multipart;
    private final Handler<I, O> handler;

    private Operation(Builder<I, O> b) {
        this.name = b.name;
        this.method = b.method;
        this.path = b.path;
        this.roles = Set.copyOf(b.roles);
        this.pathFields = pathFields(b.path);
        this.inputs = List.copyOf(b.inputs);
        this.outputs = List.copyOf(b.outputs);
        this.request = requireNonNull(b.request, "request codec of " + b.name + " is null");
        this.response = requireNonNull(b.response, "response codec of " + b.name + " is null");
        this.status = b.status;
        this.writer = Optional.ofNullable(b.writer);
        this.bodyField = Optional.ofNullable(b.bodyField);
        this.multipart = b.multipart || !inputs.isEmpty() || !outputs.isEmpty();
        this.handler = requireNonNull(b.handler, "handler of " + b.name + " is null");
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("operation " + name + " allows no role");
        }
    }

    static <I, O> Builder<I, O> get(String name, String path) {
        return new Builder<>(name, Method.GET, path);
    }

    static <I, O> Builder<I, O> post(String name, String path) {
        return new Builder<>(name, Method.POST, path);
    }

    static <I, O> Builder<I, O> delete(String name, String path) {
        return new Builder<>(name, Method.DELETE, path);
    }

    /** Runs the operation in this process (the CLI's local mode, and the server's route). */
    public O handle(SeerServices services, I request, Call call) {
        return handler.handle(services, request, call);
    }

    public String name() {
        return name;
    }

    public Method method() {
        return method;
    }

    /** The path template, e.g. {@code /api/v1/tokens/{token}}. */
    public String path() {
        return path;
    }

    /** The fields of the request that are segments of the path, in order. */
    public List<String> pathFields() {
        return pathFields;
    }

    /** The request fields naming files the operation reads. */
    public List<FileInput> inputs() {
        return inputs;
    }

    /** The request fields naming files the operation writes. */
    public List<FileOutput> outputs() {
        return outputs;
    }

    /** The request field whose value is the whole body (push's records), if the body is not a JSON object of fields. */
    public Optional<String> bodyField() {
        return bodyField;
    }

    public ObjectNode encodeRequest(I value) {
        return (ObjectNode) request.encode(value);
    }

    public I decodeRequest(JsonNode node) {
        return request.decode(node);
    }

    public JsonNode encodeResponse(O value) {
        return response.encode(value);
    }

    public O decodeResponse(JsonNode node) {
        return response.decode(node);
    }

    Set<ApiRole> roles() {
        return roles;
    }

    /** Whether the route takes a multipart body (the JSON in part {@code request}) as well as JSON. */
    boolean multipart() {
        return multipart;
    }

    int status(O result) {
        return status.applyAsInt(result);
    }

    /** The writer of a route that streams its answer, if this one does. */
    Optional<Writer<O>> writer() {
        return writer;
    }

    @Override
    public String toString() {
        return method + " " + path;
    }

    private static List<String> pathFields(String path) {
        List<String> fields = new ArrayList<>();
        Matcher m = PATH_FIELD.matcher(path);
        while (m.find()) {
            fields.add(m.group(1));
        }
        return List.copyOf(fields);
    }

    /** A request field naming a file (or a folder) the operation reads. */
    public static final class FileInput {
        /** How a server finds the file of an input: an upload, a checked server path, or a default of its own. */
        @FunctionalInterface
        interface Resolver {
            Optional<Path> resolve(RequestFiles request, JsonNode body, SeerServices services);
        }

        /** How a remote CLI sends a local path: the parts to upload and the request fields they need. */
        @FunctionalInterface
        interface Parts {
            Upload of(Path local);
        }

        /** What to upload for one input: multipart parts, and fields added to the request. */
        public record Upload(List<FilePart> parts, Map<String, String> fields) {}

        /** One uploaded file: the multipart part's name, the file name sent, and the local file. */
        public record FilePart(String part, String filename, Path file) {}

        private final String field;
        private final String part;
        private final Resolver resolver;
        private final Parts parts;

        FileInput(String field, String part, Resolver resolver, Parts parts) {
            this.field = field;
            this.part = part;
            this.resolver = resolver;
            this.parts = parts;
        }

        /** One file: the part is named by the field, the server path is checked against the roots. */
        static FileInput file(String field) {
            return new FileInput(field, field, (request, body, services) -> request.input(field),
                    local -> new Upload(List.of(new FilePart(field, local.getFileName().toString(), local)), Map.of()));
        }

        /** The request field holding the local (or server) path. */
        public String field() {
            return field;
        }

        /** The name of the multipart parts the server takes for it. */
        String part() {
            return part;
        }

        /** What a remote CLI uploads for the local path {@code local}. */
        public Upload upload(Path local) {
            return parts.of(local);
        }

        Optional<Path> resolve(RequestFiles request, JsonNode body, SeerServices services) {
            return resolver.resolve(request, body, services);
        }
    }

    /** A request field naming a file the operation writes; left out, the file is the response body. */
    public static final class FileOutput {
        private final String field;
        private final String scratchName;
        private final Function<JsonNode, String> format;

        FileOutput(String field, String scratchName, Function<JsonNode, String> format) {
            this.field = field;
            this.scratchName = scratchName;
            this.format = format;
        }

        /** A Parquet file, sent back as {@code <scratchName>.parquet}. */
        static FileOutput parquet(String field, String scratchName) {
            return new FileOutput(field, scratchName, body -> "parquet");
        }

        public String field() {
            return field;
        }

        /** The name of the scratch file sent back, from the request (which may choose the format). */
        String scratchFile(JsonNode body) {
            return scratchName + "." + format.apply(body);
        }

        static String contentType(Path file) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            return name.endsWith(".csv") ? Http.CSV : name.endsWith(".jsonl") ? Http.NDJSON : Http.PARQUET;
        }
    }

    /** Builds an operation; see the area classes ({@code TokenOperations} and others) for examples. */
    static final class Builder<I, O> {
        private final String name;
        private final Method method;
        private final String path;
        private Set<ApiRole> roles = EnumSet.noneOf(ApiRole.class);
        private final List<FileInput> inputs = new ArrayList<>();
        private final List<FileOutput> outputs = new ArrayList<>();
        private Codec<I> request;
        private Codec<O> response;
        private ToIntFunction<O> status = result -> 200;
        private Writer<O> writer;
        private String bodyField;
        private boolean multipart;
        private Handler<I, O> handler;

        private Builder(String name, Method method, String path) {
            this.name = requireNonNull(name, "name is null");
            this.method = method;
            this.path = requireNonNull(path, "path is null");
        }

        Builder<I, O> roles(ApiRole... allowed) {
            roles = allowed.length == 0 ? EnumSet.noneOf(ApiRole.class) : EnumSet.copyOf(Arrays.asList(allowed));
            return this;
        }

        Builder<I, O> request(Codec<I> codec) {
            request = codec;
            return this;
        }

        Builder<I, O> response(Codec<O> codec) {
            response = codec;
            return this;
        }

        Builder<I, O> status(int fixed) {
            status = result -> fixed;
            return this;
        }

        Builder<I, O> status(ToIntFunction<O> of) {
            status = of;
            return this;
        }

        Builder<I, O> input(FileInput input) {
            inputs.add(input);
            return this;
        }

        Builder<I, O> output(FileOutput output) {
            outputs.add(output);
            return this;
        }

        Builder<I, O> writer(Writer<O> streaming) {
            writer = streaming;
            return this;
        }

        Builder<I, O> bodyField(String field) {
            bodyField = field;
            return this;
        }

        /** Takes a multipart body too, without file fields (a route that always did keeps doing so). */
        Builder<I, O> multipart() {
            multipart = true;
            return this;
        }

        Operation<I, O> handler(Handler<I, O> h) {
            handler = h;
            return new Operation<>(this);
        }
    }
}
