package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.Role;
import dev.seer.core.catalog.CatalogEntry;
import dev.seer.core.features.FeatureLookup;
import dev.seer.core.features.PointInTimeRetrieval;
import dev.seer.features.definition.FeatureRegistry;
import dev.seer.features.ingest.IngestReport;
import dev.seer.features.ingest.QuarantineRecord;
import dev.seer.features.online.ConsistencyCheck;
import dev.seer.features.online.Materializer;
import dev.seer.features.stream.DeadLetter;
import dev.seer.features.stream.Pusher;
import dev.seer.features.stream.Streaming;
import dev.seer.metadata.AuditPage;
import dev.seer.metadata.AuditQuery;
import dev.seer.metadata.AuditVerification;
import dev.seer.metadata.InclusionProof;
import dev.seer.metadata.IssuedToken;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The declarations themselves: the route table built from {@link Operations#all()} (unique
 * method and path, at least one role), and for each operation a sample request and answer that
 * survive the codecs' round trip, as a request does from the CLI to the server and an answer
 * back. (The wire JSON is pinned by literals in {@link ApiJsonTest}; this checks that each
 * encoder and decoder of an operation agree.)
 */
class OperationsTest {
    static final Instant T1 = ApiJsonTest.T1;
    static final Instant T2 = ApiJsonTest.T2;

    @Test
    void theRouteTableHasOneRoutePerOperationEachWithARole() {
        List<ApiRoute> routes = Operations.all().stream().map(op -> OperationRoute.of(op, null, null)).toList();
        Set<String> seen = new HashSet<>();
        for (ApiRoute route : routes) {
            assertThat(seen.add(route.toString())).as("%s declared twice", route).isTrue();
            assertThat(route.roles()).as("roles of %s", route).isNotEmpty();
        }
        assertThat(routes).hasSize(Operations.all().size());
        assertThat(Operations.all().stream().map(Operation::name).distinct()).hasSize(Operations.all().size());
    }

    @Test
    void publicIsOnlyForHealthAndReadiness() {
        assertThat(Operations.all().stream().filter(op -> op.roles().contains(ApiRole.PUBLIC)).map(Operation::path))
                .containsExactlyInAnyOrder("/healthz", "/readyz");
    }

    @Test
    void everyOperationsRequestAndAnswerSurviveTheirCodecs() {
        Map<Operation<?, ?>, Sample<?, ?>> samples = samples();
        List<String> missing = new ArrayList<>();
        for (Operation<?, ?> operation : Operations.all()) {
            Sample<?, ?> sample = samples.get(operation);
            if (sample == null) {
                missing.add(operation.name());
                continue;
            }
            sample.check();
        }
        assertThat(missing).as("operations without a sample").isEmpty();
    }

    @Test
    void pathFieldsAreReadFromTheTemplate() {
        assertThat(TokenOperations.REVOKE.pathFields()).containsExactly("token");
        assertThat(AuditOperations.PROVE.pathFields()).containsExactly("seq");
        assertThat(FeatureOperations.CONSISTENCY.pathFields()).containsExactly("name");
        assertThat(TokenOperations.LIST.pathFields()).isEmpty();
    }

    /** A request and an answer of one operation. */
    record Sample<I, O>(Operation<I, O> operation, I request, O answer) {
        void check() {
            JsonNode sent = operation.encodeRequest(request);
            assertThat(operation.decodeRequest(Json.parse(Json.write(sent)))).as("request of %s", operation.name())
                    .isEqualTo(request);
            JsonNode answered = operation.encodeResponse(answer);
            assertThat(operation.encodeResponse(operation.decodeResponse(Json.parse(Json.write(answered)))))
                    .as("answer of %s", operation.name()).isEqualTo(answered);
        }
    }

    private static <I, O> void add(Map<Operation<?, ?>, Sample<?, ?>> samples, Operation<I, O> operation, I request,
            O answer) {
        samples.put(operation, new Sample<>(operation, request, answer));
    }

    private static Map<Operation<?, ?>, Sample<?, ?>> samples() {
        Map<Operation<?, ?>, Sample<?, ?>> s = new IdentityHashMap<>();
        Codec.Empty none = Codec.Empty.REQUEST;
        JsonNode tree = Json.parse("{\"a\": [1, \"b\"], \"c\": {\"d\": null}}");
        add(s, SystemOperations.HEALTH, none, "ok");
        add(s, SystemOperations.READY, none, new Streaming.Status(Streaming.State.FAILING, "no broker", 3, Optional.of(T2)));
        add(s, SystemOperations.METRICS, none, "# HELP seer_up\nseer_up 1\n");
        add(s, AuditOperations.LIST, AuditQuery.all().page(5, 10).withActor("token:alice").withAction("token.created")
                .withSubject("token", Optional.of("tok_1")).withTimeRange(Optional.of(T1), Optional.of(T2)),
                new AuditPage(List.of(ApiJsonTest.ENTRY), OptionalLong.of(7)));
        add(s, AuditOperations.VERIFY, Optional.of(ApiJsonTest.HEAD), new AuditVerification(12, ApiJsonTest.HEAD,
                Optional.of(new AuditVerification.Problem(AuditVerification.Kind.CHANGED, 4, "Entry 4 was changed"))));
        add(s, AuditOperations.TREE_HEAD, none, ApiJsonTest.HEAD);
        add(s, AuditOperations.CHECKPOINT, none, ApiJsonTest.HEAD);
        add(s, AuditOperations.PROVE, new AuditOperations.Prove(3, Optional.of(12L)),
                new InclusionProof(3, 12, ApiJsonTest.HASH_A, List.of(ApiJsonTest.HASH_B), ApiJsonTest.HASH_B));
        add(s, TokenOperations.LIST, none, List.of(ApiJsonTest.REVOKED, ApiJsonTest.ACTIVE));
        add(s, TokenOperations.CREATE, new TokenOperations.Create(Role.AUDITOR, "eve"),
                new IssuedToken(ApiJsonTest.ACTIVE, "seer_secret"));
        add(s, TokenOperations.REVOKE, "eve/with space", ApiJsonTest.REVOKED);
        List<FeatureRegistry.Change> changes = List.of(new FeatureRegistry.Change("feature_view", "stats",
                FeatureRegistry.Action.UPDATE, 2));
        add(s, FeatureOperations.PLAN, Path.of("/repo"), changes);
        add(s, FeatureOperations.APPLY, Path.of("/repo"), changes);
        CatalogEntry view = new CatalogEntry("feature_view", "stats", 3, tree, ApiJsonTest.HASH_A, T1, "token:alice");
        add(s, FeatureOperations.VIEWS, none, List.of(view));
        add(s, FeatureOperations.VIEW, new FeatureOperations.View("stats", Optional.of(2)), view);
        add(s, FeatureOperations.CONSISTENCY, new FeatureOperations.Consistency("stats", 50, Optional.of(T2)),
                new ConsistencyCheck.Report("stats", T2, 2, 1, 3, 0, List.of(new ConsistencyCheck.Skipped("9", "late")),
                        List.of(new ConsistencyCheck.Difference("7", "sum_1h", 10.5, null))));
        add(s, FeatureOperations.HISTORICAL, new FeatureOperations.Historical(Path.of("/in/e.csv"), List.of("stats:spend"),
                Path.of("/out/r.csv"), true), new PointInTimeRetrieval.Result(60, 58, List.of("customer_id"),
                        Path.of("/out/r.csv"), 12, 1, List.of(), Optional.empty()));
        add(s, IngestOperations.INGEST, new IngestOperations.Ingest("transactions", Optional.of(Path.of("/in/t.csv"))),
                new IngestReport("b_1", "transactions", ApiJsonTest.HASH_A, 200, 198, 2, List.of("stats"),
                        Duration.ofMillis(1234), false));
        add(s, IngestOperations.BATCHES, none, List.of(view));
        add(s, IngestOperations.QUARANTINE, new IngestOperations.Quarantine("b_1", 5), List.of(new QuarantineRecord("b_1",
                51, "stats", "spend", "below min 0.0", "{\"spend\":-1}")));
        add(s, OnlineOperations.MATERIALIZE, new OnlineOperations.Materialize(List.of("stats"), Optional.of(T1), T2),
                new Materializer.Report(Map.of("stats", 3L), T2));
        add(s, OnlineOperations.ONLINE, new OnlineOperations.Lookup(List.of("stats:spend"), Map.of("customer_id",
                List.of("7", "8"))), List.of(new FeatureLookup.EntityValues(Map.of("customer_id", "7"), List.of(
                        new FeatureLookup.Value("stats:spend", Json.parse("12.25"), FeatureLookup.Status.PRESENT,
                                Optional.of(T1))))));
        add(s, StreamOperations.PUSH, new StreamOperations.Push("payments", Json.parse("[{\"amount\": 1}]")),
                new Pusher.Result("payments", "seer.push.payments", 1, Map.of(0, 5L)));
        add(s, StreamOperations.DEAD_LETTERS, new StreamOperations.DeadLetters(Optional.of("payments"), 10),
                List.of(new DeadLetter("payments", "seer.push.payments", 2, 17, "late", "{\"amount\": 1}", 0, 3)));
        add(s, StreamOperations.STATUS, none, tree);
        DatasetOperations.Split split = new DatasetOperations.Split("key", List.of("customer_id"), "0.7,0.2,0.1");
        add(s, DatasetOperations.LIST, none, tree);
        add(s, DatasetOperations.VERSIONS, "churn", tree);
        add(s, DatasetOperations.SHOW, "churn:1", tree);
        add(s, DatasetOperations.LINEAGE, "churn:1", tree);
        add(s, DatasetOperations.DIFF, new DatasetOperations.Diff("churn:1", "churn:2", List.of("customer_id")), tree);
        add(s, DatasetOperations.EXPORT, new DatasetOperations.Export("churn:1", Optional.of("train"),
                Path.of("/out/train.parquet")), tree);
        add(s, DatasetOperations.CREATE, new DatasetOperations.Create("churn", Path.of("/in/e.csv"), List.of("churn_v1"),
                Optional.of("label"), true, Optional.of(split)), tree);
        add(s, DatasetOperations.IMPORT, new DatasetOperations.Import("churn", Path.of("/in/d.csv"), List.of("customer_id"),
                Optional.empty(), Optional.empty()), tree);
        add(s, DatasetOperations.REPRODUCE, "churn:1", tree);
        add(s, DatasetOperations.VERIFY, none, tree);
        add(s, DatasetOperations.GC, true, tree);
        return s;
    }
}
