package dev.seer.server;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

/** A small multipart/form-data body for tests: the JSON request part, then files given as bytes. */
final class MultipartBody {
    private static final String BOUNDARY = "test-boundary-7f3a";
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    MultipartBody(String requestJson) {
        text("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"request\"\r\nContent-Type: application/json\r\n\r\n"
                + requestJson + "\r\n");
    }

    MultipartBody file(String field, String filename, byte[] content) {
        text("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + filename
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        out.writeBytes(content);
        text("\r\n");
        return this;
    }

    MultipartBody file(String field, String filename, String content) {
        return file(field, filename, content.getBytes(StandardCharsets.UTF_8));
    }

    String contentType() {
        return "multipart/form-data; boundary=" + BOUNDARY;
    }

    HttpRequest.BodyPublisher publisher() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(out.toByteArray());
        all.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HttpRequest.BodyPublishers.ofByteArray(all.toByteArray());
    }

    private void text(String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
