package dev.seer.server;

import static java.util.Objects.requireNonNull;

import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.registry.RegistryErrorCode;
import dev.seer.registry.artifacts.ArtifactPath;
import dev.seer.registry.tracking.Run;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * MLflow's artifact proxy, the upload ({@code PUT}) and download ({@code GET}) of
 * {@code /api/2.0/mlflow-artifacts/artifacts/<experiment_id>/<run_id>/artifacts/<path>}, whose
 * bodies are the file's raw bytes, not JSON. They are the one exception to "every route is an
 * {@link Operation}": an operation's request and answer are JSON values with codecs, and a file
 * of any size must stream from the request into the artifact store and out of it, never as a
 * JSON value. They are {@link ApiRoute}s all the same, so {@link Authenticator} checks their
 * roles before they run, and the README's table and RoutePermissionTest list them. The listing
 * is JSON and an operation ({@link MlflowOperations#LIST_ARTIFACTS}).
 *
 * <p>A path is checked before anything is read or written: the experiment and run of the URL
 * must be a run of that experiment (else NOT FOUND), and the rest goes through
 * {@link ArtifactPath#of} (no {@code ..}, absolute path, backslash, {@code %}, {@code :} or
 * control character). Nothing a request names becomes a file name: the store keeps files by hash.
 */
final class MlflowArtifacts {
    static final String ROOT = "/api/2.0/mlflow-artifacts/artifacts";
    private static final String FILES = ROOT + "/<path>";
    private static final String OCTET_STREAM = "application/octet-stream";

    private MlflowArtifacts() {}

    static List<ApiRoute> routes(SeerServices services, ServerFiles files) {
        return List.of(
                new ApiRoute(HandlerType.PUT, FILES, Set.of(ApiRole.ADMIN, ApiRole.SCIENTIST),
                        ctx -> upload(ctx, services, files.maxUploadBytes())),
                new ApiRoute(HandlerType.GET, FILES, Set.of(ApiRole.ADMIN, ApiRole.SCIENTIST, ApiRole.OPERATOR,
                        ApiRole.AUDITOR), ctx -> download(ctx, services, files)));
    }

    private static void upload(Context ctx, SeerServices services, long maxUploadBytes) throws IOException {
        Location location = Location.parse(services, ctx.pathParam("path"), false);
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxUploadBytes) {
            throw tooLarge(maxUploadBytes);
        }
        try (InputStream body = new Limited(ctx.req().getInputStream(), maxUploadBytes)) {
            services.artifacts().put(location.runId(), location.path().orElseThrow(), body, Authenticator.actor(ctx));
        }
        Http.json(ctx, Json.object());
    }

    /**
     * Copies the object into a scratch file of the uploads folder, checking its hash on the way
     * (a changed object is refused before a byte is sent), then streams that file: a model of any
     * size is never held in memory.
     */
    private static void download(Context ctx, SeerServices services, ServerFiles files) throws IOException {
        Location location = Location.parse(services, ctx.pathParam("path"), false);
        String sha256 = services.artifacts().hash(location.runId(), location.path().orElseThrow());
        Path copy = files.uploads().resolve(files.nextUploadId() + ".artifact");
        try {
            services.artifacts().copyOut(sha256, copy);
            ctx.status(200).contentType(OCTET_STREAM).header("Content-Length", Long.toString(Files.size(copy)));
            try (InputStream in = Files.newInputStream(copy); OutputStream out = ctx.outputStream()) {
                in.transferTo(out);
            }
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    private static SeerException tooLarge(long limit) {
        return new SeerException(ServerErrorCode.REQUEST_TOO_LARGE, "The artifact is larger than the server accepts"
                + " (files.max-upload-mb = " + limit / (1024 * 1024) + ")", Map.of("limit_bytes", limit));
    }

    /**
     * A location of MLflow's proxy, {@code <experiment_id>/<run_id>/artifacts[/<path>]}: the run,
     * checked to be of that experiment, and the checked path inside its artifacts.
     */
    record Location(String runId, Optional<ArtifactPath> path) {
        Location {
            requireNonNull(runId, "runId is null");
            requireNonNull(path, "path is null");
        }

        /** Parses and checks a location; {@code directory} allows the run's root (a listing). */
        static Location parse(SeerServices services, String location, boolean directory) {
            String[] parts = location.split("/", 4);
            if (parts.length < 3 || !parts[0].chars().allMatch(Character::isDigit) || parts[0].isEmpty()
                    || !parts[1].matches("[0-9a-f]{32}") || !parts[2].equals("artifacts")) {
                throw notFound(location);
            }
            Optional<ArtifactPath> path = parts.length == 4 ? Optional.of(ArtifactPath.of(parts[3])) : Optional.empty();
            if (path.isEmpty() && !directory) {
                throw notFound(location);
            }
            Run run;
            try {
                run = services.tracking().run(parts[1]);
            } catch (SeerException e) {
                throw e.errorCode() == RegistryErrorCode.NOT_FOUND ? notFound(location) : e;
            }
            if (!run.experimentId().equals(parts[0])) {
                throw notFound(location);
            }
            return new Location(run.id(), path);
        }

        private static SeerException notFound(String location) {
            String shown = location.replaceAll("\\p{Cntrl}", "?");
            return new SeerException(RegistryErrorCode.NOT_FOUND, "No artifacts at [" + shown + "]: a location is"
                    + " <experiment_id>/<run_id>/artifacts/<path> of a run of that experiment", Map.of("path", shown));
        }
    }

    /** The request body, refused once it holds more than the limit (a body sent without its length). */
    private static final class Limited extends FilterInputStream {
        private final long limit;
        private long read;

        Limited(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            count(Math.max(n, 0));
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > limit) {
                throw tooLarge(limit);
            }
        }
    }
}
