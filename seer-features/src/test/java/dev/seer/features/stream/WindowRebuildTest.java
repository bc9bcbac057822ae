package dev.seer.features.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.audit.AuditRecord;
import dev.seer.core.features.FeatureLookup;
import dev.seer.features.FeatureErrorCode;
import dev.seer.features.definition.Definitions.FeatureView;
import dev.seer.features.definition.FeatureRegistry;
import dev.seer.features.definition.Stored;
import dev.seer.features.ingest.Ingestor;
import dev.seer.features.offline.OfflineStore;
import dev.seer.features.online.FeatureServer;
import dev.seer.features.online.Materializer;
import dev.seer.features.online.OnlineGuard;
import dev.seer.features.online.OnlineHealth;
import dev.seer.features.online.OnlineRecord;
import dev.seer.features.online.OnlineStore;
import dev.seer.features.online.RedisOnlineStore;
import dev.seer.features.online.WindowTiles;
import dev.seer.testing.InMemoryCatalog;
import dev.seer.testing.PrivateRedis;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;

/**
 * A Redis that lost its contents (FLUSHDB on a Redis of the test's own) gets its window
 * aggregates back from the running stream topologies when the guard rebuilds it, with no new
 * event: each entity's stored state, and so each served value, is what it was before the loss.
 * Both shapes of topology: a push source repartitioned by entity and a kafka source keyed by it.
 */
@Tag("integration")
class WindowRebuildTest {
    static final String REPOSITORY = """
            entities:
              - {name: customer, join_keys: [customer_id]}
            sources:
              - name: payments
                type: push
                timestamp_field: event_ts
                schema: {customer_id: string, event_ts: timestamp, amount: double}
              - name: payments_keyed
                type: kafka
                topic: payments.keyed
                key_field: customer_id
                timestamp_field: event_ts
                schema: {customer_id: string, event_ts: timestamp, amount: double}
            feature_views:
              - name: spend
                entities: [customer]
                source: payments
                features:
                  - {name: amount, type: double}
                aggregations:
                  - {column: amount, function: sum, window: 6h}
                  - {function: count, window: 1h}
                  - {column: amount, function: max, window: 2h, step: 15m}
              - name: spend_keyed
                entities: [customer]
                source: payments_keyed
                features:
                  - {name: amount, type: double}
                aggregations:
                  - {column: amount, function: sum, window: 1d}
                  - {function: count, window: 1h}
            """;
    static final int CUSTOMERS = 12;
    static final int EVENTS = 240;
    static final Instant START = Instant.parse("2026-05-01T00:00:00Z");
    static final List<String> KEYS = IntStream.range(0, CUSTOMERS).mapToObj(c -> "c" + c).toList();

    @TempDir
    Path dir;

    @Test
    void aRebuildWritesEveryWindowStateAgainFromTheRunningTopologies() throws Exception {
        InMemoryCatalog catalog = new InMemoryCatalog(Clock.systemUTC());
        Files.createDirectories(dir.resolve("repo"));
        Files.writeString(dir.resolve("repo/repo.yaml"), REPOSITORY);
        new FeatureRegistry(catalog).apply(dir.resolve("repo"), "alice");
        Ingestor ingestor = new Ingestor(catalog, new OfflineStore(dir.resolve("home/offline")), Clock.systemUTC());
        List<AuditRecord> audited = new CopyOnWriteArrayList<>();
        try (PrivateRedis redis = PrivateRedis.start(dir.resolve("redis"));
                RedisOnlineStore redisStore = new RedisOnlineStore(redis.url(), "seer:");
                OnlineGuard guard = new OnlineGuard(catalog, ingestor, redisStore, "redis", record -> {
                    audited.add(record);
                    return CompletableFuture.completedFuture((long) audited.size());
                }, Clock.systemUTC());
                KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"));
                Streaming streaming = new Streaming(dir.resolve("home"), new KafkaConfig(broker.bootstrap(), 2), catalog,
                        ingestor, new Materializer(catalog, ingestor, guard.store()), guard.store(), "agg", Clock.systemUTC())) {
            OnlineStore online = guard.store();
            guard.windowStates(streaming::rewriteWindows);
            guard.start(); // checks every second in the background, as in the server
            // No topology runs yet: the windows cannot be written again, and saying so is the rebuild's failure.
            assertThatThrownBy(streaming::rewriteWindows).isInstanceOfSatisfying(SeerException.class, e -> {
                assertThat(e.errorCode()).isEqualTo(FeatureErrorCode.WINDOW_STATES_UNAVAILABLE);
                assertThat(e.getMessage()).contains("[payments]").contains("streaming has not started them");
            });

            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrap()))) {
                admin.createTopics(List.of(new NewTopic("payments.keyed", 2, (short) 1))).all().get();
            }
            streaming.refresh();
            ArrayNode pushed = Json.mapper().createArrayNode();
            try (var producer = new KafkaProducer<String, String>(Map.of("bootstrap.servers", broker.bootstrap(),
                    "key.serializer", StringSerializer.class.getName(), "value.serializer", StringSerializer.class.getName()))) {
                for (int i = 0; i < EVENTS; i++) {
                    String customer = KEYS.get(i % CUSTOMERS);
                    var event = Json.object().put("customer_id", customer).put("event_ts", START.plusSeconds(60L * i).toString())
                            .put("amount", (i % 17) + 0.25);
                    pushed.add(event);
                    producer.send(new ProducerRecord<>("payments.keyed", customer, Json.write(event)));
                }
            }
            streaming.pusher().push("payments", pushed);

            FeatureView spend = view(catalog, "spend");
            FeatureView keyed = view(catalog, "spend_keyed");
            List<Optional<OnlineRecord>> spendBefore = awaitAllEvents(online, spend);
            List<Optional<OnlineRecord>> keyedBefore = awaitAllEvents(online, keyed);
            assertThat(guard.health()).extracting(OnlineHealth::state, OnlineHealth::generation)
                    .containsExactly(OnlineHealth.State.READY, 1L);
            Instant at = START.plusSeconds(60L * EVENTS);
            FeatureServer server = new FeatureServer(catalog, guard, Clock.fixed(at, ZoneOffset.UTC));
            List<String> refs = List.of("spend:amount_sum_6h", "spend:count_1h", "spend:amount_max_2h",
                    "spend_keyed:amount_sum_1d", "spend_keyed:count_1h");
            List<List<String>> servedBefore = served(server, refs);
            assertThat(servedBefore).allSatisfy(values -> assertThat(values).doesNotContainNull());

            try (JedisPooled jedis = new JedisPooled(URI.create(redis.url()))) {
                jedis.flushDB(); // what a Redis restarted without persistence holds
            }
            assertThat(online.read(WindowTiles.onlineNamespace(spend), KEYS)).allSatisfy(r -> assertThat(r).isEmpty());

            // The next check finds the marker gone and rebuilds: rows from the offline store, windows from the topologies.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (guard.health().generation() != 2 || guard.health().state() != OnlineHealth.State.READY) {
                assertThat(System.nanoTime()).as(guard.health().toString()).isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(online.read(WindowTiles.onlineNamespace(spend), KEYS)).as("states back without a new event")
                    .allSatisfy(r -> assertThat(r).isPresent());
            assertThat(online.read(WindowTiles.onlineNamespace(spend), KEYS)).isEqualTo(spendBefore);
            assertThat(online.read(WindowTiles.onlineNamespace(keyed), KEYS)).isEqualTo(keyedBefore);
            assertThat(served(server, refs)).isEqualTo(servedBefore);
            while (audited.stream().noneMatch(r -> r.payload().has("window_states"))) {
                assertThat(System.nanoTime()).as("audited").isLessThan(deadline); // audited just after the state is set
                Thread.sleep(50);
            }
            assertThat(audited).filteredOn(r -> r.payload().has("window_states")).singleElement().satisfies(r -> {
                assertThat(r.action()).isEqualTo("online_store.ready");
                assertThat(r.payload().path("window_states").asLong()).as("one state per customer and view")
                        .isEqualTo(2L * CUSTOMERS);
            });
        }
    }

    private static FeatureView view(InMemoryCatalog catalog, String name) {
        return Stored.view(catalog.latest(FeatureRegistry.VIEW, name).orElseThrow().body());
    }

    /** Waits until every customer's state in the view counts all its events (a state's created order is its event count). */
    private static List<Optional<OnlineRecord>> awaitAllEvents(OnlineStore online, FeatureView view) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<Optional<OnlineRecord>> records = online.read(WindowTiles.onlineNamespace(view), KEYS);
        while (records.stream().mapToLong(r -> r.map(OnlineRecord::createdMicros).orElse(0L)).sum() < EVENTS
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
            records = online.read(WindowTiles.onlineNamespace(view), KEYS);
        }
        assertThat(records).as(view.name()).allSatisfy(r -> assertThat(r).isPresent());
        assertThat(records.stream().mapToLong(r -> r.orElseThrow().createdMicros()).sum()).isEqualTo(EVENTS);
        return records;
    }

    private static List<List<String>> served(FeatureServer server, List<String> refs) {
        List<List<String>> rows = new ArrayList<>();
        for (var entity : server.lookup(refs, Map.of("customer_id", KEYS))) {
            rows.add(entity.values().stream().map(v -> v.status() == FeatureLookup.Status.PRESENT ? v.value().asText() : null)
                    .toList());
        }
        return rows;
    }
}
