package dev.seer.server;

import static java.util.Objects.requireNonNull;

import dev.seer.core.ErrorCategory;
import dev.seer.core.ErrorCode;
import dev.seer.core.Json;
import dev.seer.core.Role;
import dev.seer.core.SeerException;
import dev.seer.core.audit.AuditRecord;
import dev.seer.metadata.ApiToken;
import dev.seer.metadata.IssuedToken;
import dev.seer.monitoring.watch.MonitoringOptions;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.NotFoundResponse;
import io.javalin.router.ParsedEndpoint;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Seer HTTP server. Its routes are the {@link Operations#all() operations}, each made an
 * {@link ApiRoute} naming its roles by {@link OperationRoute}; {@link Authenticator} enforces
 * them before a matched handler runs. Errors of every kind are rendered as
 * {@code {"error": {"code", "message", "details"}}} with the status of their category.
 *
 * <p>At start the server issues a local admin token into {@code run/cli.token} (owner-only
 * permissions), so the CLI on this machine can reach it; the token is revoked at shutdown, and a
 * leftover one from a killed server is revoked at the next start.
 */
public final class SeerServer implements AutoCloseable {
    public static final String LOCAL_TOKEN_NAME = "local-cli";
    public static final String LOCAL_TOKEN_FILE = "cli.token";
    private static final Logger LOG = LoggerFactory.getLogger(SeerServer.class);
    private static final String SYSTEM = "system";
    /** The largest JSON request body (files travel as multipart uploads, under their own limit). */
    static final long MAX_JSON_BODY_BYTES = 10L * 1024 * 1024;

    /** Bytes per copy of a response into Jetty's output buffer; see {@link #configure}. */
    static final int RESPONSE_COPY_BUFFER = 8 * 1024;

    private final SeerServices services;
    private final PrometheusMeterRegistry registry;
    private final List<ApiRoute> routes;
    private final Javalin app;
    private final AccessLog access;
    private final ServerFiles files;
    private ApiToken localToken;
    private String url = "";
    private final AtomicBoolean closed = new AtomicBoolean();

    private SeerServer(SeerServices services) {
        this.services = requireNonNull(services, "services is null");
        this.registry = services.meters();
        bindJvmMetrics(registry);
        this.routes = new ArrayList<>();
        this.files = ServerFiles.of(services.home(), services.config().section(FilesConfig.SECTION), services.clock());
        for (Operation<?, ?> operation : servingFirst(Operations.all())) {
            routes.add(OperationRoute.of(operation, services, files));
        }
        routes.addAll(MlflowArtifacts.routes(services, files)); // raw bytes both ways: see its comment
        this.access = new AccessLog(services.audit(), services.clock());
        Authenticator authenticator = new Authenticator(services.tokens(), access);
        FunctionCounter.builder("seer.audit.access.records.dropped", access,
                        AccessLog::dropped)
                .description("Requests whose access record was not written because the audit queue was full")
                .register(registry);
        DistributionSummary freshness = DistributionSummary
                .builder("seer.stream.freshness").baseUnit("seconds")
                .description("Event time to online availability of streamed events")
                .publishPercentileHistogram().minimumExpectedValue(0.001).maximumExpectedValue(3600.0)
                .register(registry);
        services.streaming().onFreshness(freshness::record);
        DistributionSummary windowFreshness = DistributionSummary
                .builder("seer.stream.window.freshness").baseUnit("seconds")
                .description("Latest event time to online availability of each entity's window aggregates")
                .publishPercentileHistogram().minimumExpectedValue(0.001).maximumExpectedValue(3600.0)
                .register(registry);
        services.streaming().onWindowFreshness(windowFreshness::record);
        this.app = Javalin.create(config -> configure(config, authenticator));
    }

    /** Starts a server for these services on the configured host and port. */
    public static SeerServer start(SeerServices services) {
        SeerServer server = new SeerServer(services);
        var config = services.config().section(ServerConfig.SECTION);
        try {
            server.app.start(config.host(), config.port());
        } catch (RuntimeException e) {
            throw new SeerException(ServerErrorCode.SERVER_UNREACHABLE, "Cannot listen on " + config.host() + ":"
                    + config.port() + ": " + e.getMessage(), Map.of("host", config.host(), "port", config.port()), e);
        }
        try {
            server.url = server.addressOf(server.app.port());
            server.issueLocalToken();
            services.audit().appendAndWait(new AuditRecord(SYSTEM, "server.started", "server", server.url(),
                    Json.object().put("metadata", services.database().describe()).put("pid", ProcessHandle.current().pid())));
        } catch (RuntimeException e) {
            server.close(); // not left listening half-started
            throw e;
        }
        services.features().onChange(server::refreshStreaming);
        server.refreshStreaming();
        services.serving().startStreams(); // deployments' stream scoring and feedback from a topic, in the background
        services.onlineLearning().start(); // online models' snapshots on schedule, only while a server runs
        // alert transitions a stop left undelivered, windows it left unjudged, then the log's windows as they close
        try {
            services.monitoring().alerts().deliverPending();
        } catch (RuntimeException e) { // tried again at the next window's evaluation
            LOG.warn("Delivering the alert transitions left undelivered failed", e);
        }
        Instant now = services.clock().instant();
        services.monitorFeed().judgeAgain(services.monitoring().unjudged(now.minus(services.config()
                .section(MonitoringOptions.SECTION).catchUp()), now));
        services.monitorFeed().start();
        services.retraining().start(); // retraining policies' schedules, only while a server runs
        LOG.info("Seer server listening on {}", server.url());
        return server;
    }

    private void configure(JavalinConfig config, Authenticator authenticator) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.http.maxRequestSize = MAX_JSON_BODY_BYTES;
        configureUploads(config);
        config.routes.beforeMatched(authenticator::check);
        for (ApiRoute route : routes) {
            config.routes.addHttpHandler(route.method(), route.path(), route.handler(), route.roles().toArray(new ApiRole[0]));
        }
        config.routes.exception(SeerException.class, (e, ctx) -> {
            if (e.category() == ErrorCategory.BUSY) {
                ctx.header("Retry-After", "1");
            }
            if (MlflowJson.isMlflowPath(ctx.path())) {
                mlflowError(ctx, e);
            } else if (e.category() == ErrorCategory.INTERNAL) {
                internal(ctx, e, e.errorCode(), "[" + e.errorCode().code() + "]");
            } else {
                Http.json(ctx, e.category().httpStatus(), Http.error(e));
            }
            if (e.category() == ErrorCategory.TOO_LARGE) {
                Http.discardUnread(ctx);
            }
        });
        config.routes.exception(Exception.class, (e, ctx) -> {
            if (MlflowJson.isMlflowPath(ctx.path())) {
                mlflowError(ctx, new SeerException(ServerErrorCode.INTERNAL, e.getClass().getSimpleName(), Map.of(), e));
            } else {
                internal(ctx, e, ServerErrorCode.INTERNAL, e.getClass().getSimpleName());
            }
        });
        config.routes.exception(HttpResponseException.class, (e, ctx) -> {
            SeerException error = e instanceof NotFoundResponse
                    ? new SeerException(ServerErrorCode.ROUTE_NOT_FOUND, "No route [" + ctx.method() + " " + ctx.path() + "]",
                            Map.of("method", ctx.method().name(), "path", ctx.path()))
                    : e.getStatus() == ErrorCategory.TOO_LARGE.httpStatus()
                    ? Http.tooLarge()
                    : new SeerException(ServerErrorCode.BAD_REQUEST, e.getMessage(), Map.of("status", e.getStatus()));
            if (MlflowJson.isMlflowPath(ctx.path())) {
                MlflowJson.Error mlflow = MlflowJson.error(error);
                Http.json(ctx, e.getStatus(), mlflow.json()); // Jetty's status, MLflow's shape
            } else {
                Http.json(ctx, e.getStatus(), Http.error(error));
            }
            if (e.getStatus() == ErrorCategory.TOO_LARGE.httpStatus()) {
                Http.discardUnread(ctx);
            }
        });
        // Javalin copies every result through a buffer of this size, allocated per response; its
        // default (Jetty's whole output buffer, 32 KiB) was most of what a small response allocated.
        config.http.responseBufferSize = RESPONSE_COPY_BUFFER;
        config.requestLogger.http(services.metrics()::request);
    }

    /** Operations on the request path of production serving; see {@link #servingFirst}. */
    private static final Set<String> SERVING_PATH = Set.of("predict", "features.online", "feedback");

    /**
     * The operations with the serving path's first. Javalin tries a method's routes in the order they were added, one
     * regular expression each, until one matches: the predict route, added late, paid for every route before it (about
     * 5% of its CPU, JFR, issue 17). The order changes nothing else: no two routes' patterns overlap (OperationsTest).
     */
    static List<Operation<?, ?>> servingFirst(List<Operation<?, ?>> operations) {
        List<Operation<?, ?>> ordered = new ArrayList<>(operations);
        ordered.sort(java.util.Comparator.comparing(op -> !SERVING_PATH.contains(op.name()))); // stable: false first
        return ordered;
    }

    /**
     * A failure the caller cannot act on: logged in full, answered with its code only. Its
     * message and details may name files of the home or internals of an engine, which a caller
     * must not see.
     */
    private static void internal(Context ctx, Exception e, ErrorCode code, String what) {
        LOG.error("Unexpected failure on {} {}", ctx.method(), ctx.path(), e);
        Http.json(ctx, 500, Http.error(new SeerException(code, "Internal error " + what + "; see the server log", Map.of())));
    }

    /**
     * An error on MLflow's API ({@code /api/2.0/}), in MLflow's shape, so MLflow's clients read
     * its code; an internal one is logged in full and answered with its code only, as any other.
     */
    private static void mlflowError(Context ctx, SeerException e) {
        if (e.category() == ErrorCategory.INTERNAL) {
            LOG.error("Unexpected failure on {} {}", ctx.method(), ctx.path(), e);
        }
        MlflowJson.Error error = MlflowJson.error(e);
        Http.json(ctx, error.status(), error.json());
    }

    /**
     * Multipart uploads: parts over 1 MiB are spooled to the home's {@code run/uploads/.parts}
     * (never held whole in memory), and a request over {@code files.max-upload-mb} is refused
     * with 413 ({@link RequestFiles}). Results sent back carry their JSON in a header, which may
     * list many columns: the response header limit is raised from Jetty's 8 KiB to 64 KiB.
     */
    private void configureUploads(JavalinConfig config) {
        Path parts = files.uploads().resolve(".parts");
        try {
            Files.createDirectories(parts);
        } catch (IOException e) {
            throw new SeerException(ServerErrorCode.INTERNAL, "Cannot create " + parts + ": " + e.getMessage(), Map.of(), e);
        }
        config.jetty.multipartConfig.cacheDirectory(parts.toString());
        config.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
        config.jetty.multipartConfig.maxFileSize(files.maxUploadBytes(), SizeUnit.BYTES);
        config.jetty.multipartConfig.maxTotalRequestSize(files.maxUploadBytes() + MAX_JSON_BODY_BYTES, SizeUnit.BYTES);
        config.jetty.modifyHttpConfiguration(http -> http.setResponseHeaderSize(64 * 1024));
        config.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors()));
    }

    private static void bindJvmMetrics(PrometheusMeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    private void issueLocalToken() {
        services.tokens().list().stream()
                .filter(t -> t.active() && t.name().equals(LOCAL_TOKEN_NAME))
                .forEach(t -> services.tokens().revoke(t.id(), SYSTEM));
        IssuedToken issued = services.tokens().create(Role.ADMIN, LOCAL_TOKEN_NAME, SYSTEM);
        localToken = issued.token();
        Path file = localTokenFile();
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file); // not a POSIX file system: the home's own permissions protect it
            }
            Files.writeString(file, issued.secret(), StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            LOG.warn("Could not write the local CLI token to {}: {}", file, e.getMessage());
        }
    }

    private Path localTokenFile() {
        return services.home().runDirectory().resolve(LOCAL_TOKEN_FILE);
    }

    public int port() {
        return app.port();
    }

    /** Where the server listens, fixed at start (it stays valid in messages after stop). */
    public String url() {
        return url;
    }

    private String addressOf(int port) {
        String host = services.config().section(ServerConfig.SECTION).host();
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return "http://" + (shown.contains(":") ? "[" + shown + "]" : shown) + ":" + port;
    }

    /** The routes this server registered with their declared roles. */
    List<ApiRoute> routes() {
        return List.copyOf(routes);
    }

    /** Method and path of every HTTP endpoint Javalin actually has, to check against {@link #routes()}. */
    List<String> registeredEndpoints() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .map((ParsedEndpoint e) -> e.endpoint)
                .filter(e -> e.method.isHttpMethod())
                .map(e -> e.method + " " + e.path)
                .toList();
    }

    /**
     * Starts what defined push and kafka sources need (the broker on first need, topics, stream
     * ingestion), in the background: while the broker cannot be reached the rest of the server
     * serves, `/readyz` reports it, and attempts repeat with backoff.
     */
    private void refreshStreaming() {
        services.streaming().start();
    }

    /** Stops serving, revokes the local token and records the stop; a second call does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        app.stop();
        step("stop the online models' snapshots", services.onlineLearning()::close);
        step("stop the retraining loop", services.retraining()::close);
        step("write the access records", access::close);
        step("remove the local token file", () -> Files.deleteIfExists(localTokenFile()));
        if (localToken != null) {
            step("revoke the local token", () -> services.tokens().revoke(localToken.id(), SYSTEM));
        }
        step("record the stop", () -> services.audit().appendAndWait(
                new AuditRecord(SYSTEM, "server.stopped", "server", url(), Json.object())));
    }

    private interface Step {
        void run() throws Exception;
    }

    /** One shutdown step; its failure is logged and does not skip the steps after it. */
    private static void step(String what, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            LOG.warn("Could not {} at shutdown: {}", what, e.getMessage());
        }
    }
}
