package dev.seer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import java.io.FileNotFoundException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A {@code multipart/form-data} request body (RFC 7578) of the server's file routes: the JSON
 * request as part {@code request}, then one part per file, streamed from disk (a file is never
 * read whole into memory).
 */
final class Upload {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String boundary;
    private final JsonNode request;
    private final List<BodyPublisher> pieces = new ArrayList<>();

    /** {@code request} is written when the body is sent, as it is then. */
    Upload(JsonNode request) {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        this.boundary = "seer-" + HexFormat.of().formatHex(random);
        this.request = request;
    }

    /** Adds {@code file} as part {@code field}, named {@code filename} (a relative path for a repository's files). */
    Upload file(String field, String filename, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new SeerException(CoreErrorCode.NOT_FOUND, "No file at [" + file + "] to upload as [" + field + "]",
                    Map.of("field", field, "path", file.toString()));
        }
        pieces.add(BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field
                + "\"; filename=\"" + quoted(filename) + "\"\r\nContent-Type: application/octet-stream\r\n\r\n",
                StandardCharsets.UTF_8));
        try {
            pieces.add(BodyPublishers.ofFile(file));
        } catch (FileNotFoundException e) {
            throw new SeerException(CoreErrorCode.NOT_FOUND, "Cannot read [" + file + "]: " + e.getMessage(),
                    Map.of("field", field, "path", file.toString()), e);
        }
        pieces.add(BodyPublishers.ofString("\r\n"));
        return this;
    }

    String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    HttpRequest.BodyPublisher publisher() {
        List<BodyPublisher> all = new ArrayList<>();
        all.add(BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"request\"\r\n"
                + "Content-Type: application/json\r\n\r\n" + Json.write(request) + "\r\n", StandardCharsets.UTF_8));
        all.addAll(pieces);
        all.add(BodyPublishers.ofString("--" + boundary + "--\r\n"));
        return BodyPublishers.concat(all.toArray(new BodyPublisher[0]));
    }

    /** RFC 7578 4.2: a quote or line break in a file name is percent-encoded. */
    private static String quoted(String filename) {
        return filename.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
    }
}
