package dev.seer.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.home.FileTrees;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The files of one request to a route that reads or writes files. Such a route takes either
 * JSON naming server paths (each checked by {@link ServerFiles}), or {@code multipart/form-data}:
 * a part {@code request} holding the same JSON object, and one part per file field, named by
 * the field, holding the file. An uploaded file is saved under {@code HOME/run/uploads/<id>/}
 * and removed when the request ends; its name keeps only the client's base name, cleaned, so
 * the name a client sends never chooses a server path. An output field that the request leaves
 * out is answered with the file as the response body and the JSON result in the
 * {@value #RESULT_HEADER} header.
 */
final class RequestFiles implements AutoCloseable {
    static final String REQUEST_PART = "request";
    static final String RESULT_HEADER = "Seer-Result";
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

    private final Context ctx;
    private final ServerFiles files;
    private final JsonNode body;
    private final Map<String, List<UploadedFile>> uploads;
    private final Path folder;

    private RequestFiles(Context ctx, ServerFiles files, JsonNode body, Map<String, List<UploadedFile>> uploads) {
        this.ctx = ctx;
        this.files = files;
        this.body = body;
        this.uploads = uploads;
        this.folder = files.uploads().resolve(files.nextUploadId());
    }

    /** Reads the request; a file part not among {@code fileFields} is refused, naming it. */
    static RequestFiles receive(Context ctx, ServerFiles files, Set<String> fileFields) {
        requireNonNull(files, "files is null");
        if (!ctx.isMultipartFormData()) {
            return new RequestFiles(ctx, files, Http.body(ctx), Map.of());
        }
        Map<String, List<UploadedFile>> uploads = limited(files, ctx::uploadedFileMap);
        for (String part : uploads.keySet()) {
            if (!fileFields.contains(part)) {
                throw new SeerException(ServerErrorCode.UPLOAD_INVALID, "Part [" + part + "] is not a file this route"
                        + " takes; it takes " + fileFields.stream().sorted().toList(), Map.of("part", part));
            }
        }
        return new RequestFiles(ctx, files, requestPart(files, ctx), uploads);
    }

    private static JsonNode requestPart(ServerFiles files, Context ctx) {
        String text = limited(files, () -> ctx.formParam(REQUEST_PART));
        if (text == null || text.isBlank()) {
            return Json.object();
        }
        JsonNode node = Json.parse(text);
        if (!node.isObject()) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "Part [" + REQUEST_PART + "] must be a JSON object",
                    Map.of("part", REQUEST_PART));
        }
        return node;
    }

    /**
     * Runs a read of the multipart body; the parser's size limits (files.max-upload-mb) become a
     * 413 naming the limit, and a body that is not valid multipart a 400, instead of an
     * unexplained 500. (Jetty's {@code ServletException} is checked but not declared by
     * Javalin's Kotlin, hence the catch of {@code Exception}.)
     */
    private static <T> T limited(ServerFiles files, Supplier<T> read) {
        try {
            return read.get();
        } catch (Exception e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (String.valueOf(cause.getMessage()).contains("exceeded")) {
                    throw new SeerException(ServerErrorCode.REQUEST_TOO_LARGE, "The upload is larger than the server"
                            + " accepts (files.max-upload-mb = " + files.maxUploadBytes() / (1024 * 1024) + ")",
                            Map.of("limit_bytes", files.maxUploadBytes()), e);
                }
            }
            throw new SeerException(ServerErrorCode.UPLOAD_INVALID, "The multipart body could not be read: "
                    + e.getMessage(), Map.of(), e);
        }
    }

    /** The allow-list every server path of this request is checked against. */
    ServerFiles files() {
        return files;
    }

    /** The JSON request: the body, or the {@code request} part of a multipart request. */
    JsonNode body() {
        return body;
    }

    /** The uploaded file of {@code field}, else the checked server path the JSON names, else empty. */
    Optional<Path> input(String field) {
        List<UploadedFile> parts = uploads.getOrDefault(field, List.of());
        if (parts.size() > 1) {
            throw new SeerException(ServerErrorCode.UPLOAD_INVALID, "Part [" + field + "] was sent " + parts.size()
                    + " times; send one file", Map.of("part", field));
        }
        if (parts.size() == 1) {
            UploadedFile part = parts.get(0);
            return Optional.of(save(part, folder.resolve(field).resolve(baseName(part.filename(), field))));
        }
        return serverPath(field);
    }

    /** The checked server path the JSON names in {@code field}, if any. */
    Optional<Path> serverPath(String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        return Optional.of(files.resolve(field, Http.requiredText(body, field)));
    }

    /** The checked server path of an output the JSON names in {@code field}, its folders made if missing. */
    Optional<Path> outputPath(String field) {
        Optional<Path> path = serverPath(field);
        path.map(Path::getParent).ifPresent(parent -> {
            try {
                Files.createDirectories(parent);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create the folder of field " + field, e);
            }
        });
        return path;
    }

    /** Whether {@code field} was uploaded. */
    boolean uploaded(String field) {
        return uploads.containsKey(field);
    }

    /**
     * Saves the parts of {@code field} as a tree under {@code target}: each part's file name is a
     * relative path of plain segments ({@code data/transactions.csv}); anything else is refused.
     */
    void saveTree(String field, Path target) {
        for (UploadedFile part : uploads.getOrDefault(field, List.of())) {
            save(part, target.resolve(relativePath(field, part.filename())));
        }
    }

    /** A scratch file of this request, removed when it ends. */
    Path scratch(String name) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + folder, e);
        }
        return folder.resolve(name);
    }

    /** Answers with {@code file} as the body and {@code result} in the {@value #RESULT_HEADER} header. */
    void send(Path file, String contentType, JsonNode result) {
        try {
            InputStream in = Files.newInputStream(file); // still readable once close() unlinks the file
            ctx.status(200).contentType(contentType).header(RESULT_HEADER, asciiJson(result))
                    .header("Content-Disposition", "attachment; filename=\"" + file.getFileName() + "\"")
                    .header("Content-Length", Long.toString(Files.size(file)))
                    .result(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot send " + file.getFileName(), e);
        }
    }

    /** Removes what this request uploaded or wrote as scratch. */
    @Override
    public void close() {
        FileTrees.delete(folder);
    }

    private Path save(UploadedFile part, Path target) {
        try (InputStream in = part.content()) {
            Files.createDirectories(target.getParent());
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save upload " + target.getFileName(), e);
        }
    }

    /** The client's base name with every character outside {@code [A-Za-z0-9._-]} replaced. */
    static String baseName(String filename, String field) {
        String name = filename == null ? "" : filename.substring(Math.max(filename.lastIndexOf('/'),
                filename.lastIndexOf('\\')) + 1);
        name = UNSAFE.matcher(name).replaceAll("_");
        if (name.isEmpty() || name.startsWith(".")) {
            name = field + name;
        }
        return name.length() > 128 ? name.substring(name.length() - 128) : name;
    }

    private static Path relativePath(String field, String filename) {
        String text = filename == null ? "" : filename;
        String[] segments = text.split("/", -1);
        for (String segment : segments) {
            if (!SEGMENT.matcher(segment).matches()) {
                throw new SeerException(ServerErrorCode.UPLOAD_INVALID, "Part [" + field + "] file name [" + text
                        + "] must be a relative path of plain names (letters, digits, . _ -, not starting with .)",
                        Map.of("part", field));
            }
        }
        return Path.of(segments[0], Arrays.copyOfRange(segments, 1, segments.length));
    }

    private static String asciiJson(JsonNode result) {
        String text = Json.write(result);
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c < 0x20 || c > 0x7e) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
