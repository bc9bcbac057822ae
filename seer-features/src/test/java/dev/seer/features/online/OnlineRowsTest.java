package dev.seer.features.online;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.provenance.BatchRecord.KafkaSpan;
import dev.seer.features.Repositories;
import dev.seer.features.ingest.Ingestor;
import dev.seer.features.ingest.StreamRecords;
import dev.seer.features.offline.OfflineStore;
import dev.seer.testing.InMemoryCatalog;
import dev.seer.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows made from streamed records ({@link OnlineRows}) equal the rows the materialiser writes
 * from the same records once stored: random records of every type, staged and stored as stream
 * ingestion stores them.
 */
public class OnlineRowsTest {
    public static final Instant NOW = Instant.parse("2026-11-27T00:00:00Z");
    public static final String REPOSITORY = """
            entities:
              - {name: customer, join_keys: [customer_id]}
              - {name: store, join_keys: [store_id]}
            sources:
              - name: events
                type: push
                timestamp_field: event_ts
                created_timestamp_field: created_ts
                schema: {customer_id: string, store_id: long, event_ts: timestamp, created_ts: timestamp, flag: bool,
                         small: int, big: long, ratio: float, amount: double, label: string, seen: timestamp}
            feature_views:
              - name: by_customer
                entities: [customer]
                source: events
                features:
                  - {name: flag, type: bool}
                  - {name: small, type: int}
                  - {name: big, type: long}
                  - {name: ratio, type: float}
                  - {name: amount, type: double}
                  - {name: label, type: string}
                  - {name: seen, type: timestamp}
              - name: by_store
                entities: [store]
                source: events
                features:
                  - {name: amount, type: double}
                  - {name: label, type: string}
              - name: computed
                entities: [customer]
                source: events
                features:
                  - {name: doubled, type: double, expression: "CAST(amount AS DOUBLE) * 2"}
            """;

    @TempDir
    Path dir;

    MutableClock clock = new MutableClock(NOW);
    InMemoryCatalog catalog = new InMemoryCatalog(clock);
    Ingestor ingestor;
    RocksDbOnlineStore store;
    Random random = new Random(11);

    @BeforeEach
    void setUp() throws Exception {
        Repositories.applyWith(catalog, dir, REPOSITORY, "unused\n");
        ingestor = new Ingestor(catalog, new OfflineStore(dir.resolve("home/offline")), clock);
        store = new RocksDbOnlineStore(dir.resolve("home/online"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void rowsMadeFromRecordsEqualTheMaterialisedRowsForEveryType() throws Exception {
        StreamRecords rules = StreamRecords.of(catalog, "events");
        assertThat(rules.onlineRows()).extracting(OnlineRows::view).containsExactly("by_customer", "by_store");

        List<JsonNode> records = new ArrayList<>();
        int refused = 0;
        for (int i = 0; i < 2000; i++) {
            JsonNode record = Json.parse(randomRecord(i));
            if (rules.check(record).isPresent()) { // an offset without seconds: dead-lettered, and DuckDB refuses it too
                refused++;
            } else {
                records.add(record);
            }
        }
        assertThat(refused).as("records refused").isBetween(1, 100);
        Path staged = dir.resolve("staged.jsonl");
        try (var out = Json.lines(Files.newBufferedWriter(staged, StandardCharsets.UTF_8))) {
            for (JsonNode record : records) {
                out.write(rules.staged(record));
            }
        }
        ingestor.ingestStaged("events", staged, "events/0/0-1999",
                new KafkaSpan("events", 0, 0, 1999, 2000, 0, "test", Long.MIN_VALUE), "test");
        new Materializer(catalog, ingestor, store).materializeStagedBatch("events", "events/0/0-1999", NOW);

        int compared = 0;
        for (OnlineRows rows : rules.onlineRows()) {
            Map<String, OnlineRecord> latest = new HashMap<>();
            for (JsonNode record : records) { // arrival order: a later record wins a tie, as the store keeps the later write
                OnlineRecord row = rows.row(record, rules.eventMicros(record)).orElseThrow();
                latest.merge(row.key(), row, (old, next) -> next.supersedes(old) ? next : old);
            }
            List<String> keys = new ArrayList<>(latest.keySet());
            List<Optional<OnlineRecord>> stored = store.read(rows.view(), keys);
            for (int k = 0; k < keys.size(); k++) {
                OnlineRecord mine = latest.get(keys.get(k));
                OnlineRecord theirs = stored.get(k).orElseThrow(() -> new AssertionError("no stored row"));
                String key = keys.get(k);
                assertThat(mine.eventMicros()).as("event time of %s %s; records: %s", rows.view(), key, records.stream()
                        .filter(r -> rows.row(r, 0).orElseThrow().key().equals(key))
                        .map(r -> r.path("event_ts").asText() + "=" + rules.eventMicros(r)).toList())
                        .isEqualTo(theirs.eventMicros());
                assertThat(mine.createdMicros()).as("created time").isEqualTo(theirs.createdMicros());
                assertThat(Json.parse(mine.values())).as("%s %s: %s vs stored %s", rows.view(), keys.get(k), mine.values(),
                        theirs.values()).isEqualTo(Json.parse(theirs.values()));
                compared++;
            }
        }
        assertThat(compared).as("60 customers and 20 stores").isEqualTo(80);
    }

    @Test
    void aNumberOrBooleanInAStringColumnIsLeftToTheMaterialiser() {
        StreamRecords rules = StreamRecords.of(catalog, "events");
        OnlineRows byCustomer = rules.onlineRows().get(0);
        String record = "{\"customer_id\": %s, \"store_id\": 1, \"event_ts\": \"2026-11-26T00:00:00Z\", \"label\": %s}";
        for (String[] values : new String[][] {{"\"c1\"", "1e20"}, {"\"c1\"", "true"}, {"12.50", "\"text\""}}) {
            JsonNode parsed = Json.parse(record.formatted(values[0], values[1]));
            assertThat(rules.check(parsed)).as("the record is good").isEmpty();
            assertThat(byCustomer.row(parsed, rules.eventMicros(parsed))).as(parsed.toString()).isEmpty();
        }
        JsonNode text = Json.parse(record.formatted("\"c1\"", "\"text\""));
        assertThat(byCustomer.row(text, rules.eventMicros(text))).isPresent();
    }

    @Test
    void timestampsAreWrittenAsDuckDbWritesThem() {
        assertThat(OnlineRows.duckTimestamp(0)).contains("1970-01-01 00:00:00+00");
        assertThat(OnlineRows.duckTimestamp(1_500_000)).contains("1970-01-01 00:00:01.5+00");
        assertThat(OnlineRows.duckTimestamp(-1)).contains("1969-12-31 23:59:59.999999+00");
        assertThat(OnlineRows.duckTimestamp(Instant.parse("0900-03-01T00:00:00.000120Z").getEpochSecond() * 1_000_000 + 120))
                .contains("0900-03-01 00:00:00.00012+00");
        assertThat(OnlineRows.duckTimestamp(Instant.parse("-0001-01-01T00:00:00Z").getEpochSecond() * 1_000_000)).isEmpty();
    }

    /** Few customers and stores, so each has many rows: ties of event and created times included. */
    private String randomRecord(int i) {
        Instant event = NOW.minusSeconds(random.nextInt(3600)).minusNanos(random.nextInt(4) * 250_000_000L);
        ObjectNode record = Json.object();
        record.put("customer_id", "c" + random.nextInt(60));
        record.put("store_id", random.nextInt(20) - 5);
        record.put("event_ts", time(event));
        if (random.nextInt(5) > 0) {
            record.put("created_ts", time(event.plusSeconds(random.nextInt(3))));
        }
        maybe(record, "flag", () -> record.put("flag", random.nextBoolean()));
        maybe(record, "small", () -> record.put("small", random.nextInt()));
        maybe(record, "big", () -> record.put("big", random.nextLong()));
        maybe(record, "ratio", () -> record.put("ratio", random.nextGaussian() * Math.pow(10, random.nextInt(12) - 6)));
        maybe(record, "amount", () -> record.put("amount", switch (random.nextInt(3)) {
            case 0 -> random.nextInt(1000) / 4.0;
            case 1 -> random.nextGaussian() * 1e18;
            default -> (double) random.nextInt(100);
        }));
        maybe(record, "label", () -> {
            switch (random.nextInt(2)) {
                case 0 -> record.put("label", "plain " + i);
                default -> record.put("label", "quote \" back\\slash\nnew line é 😀 \u0001");
            }
        });
        maybe(record, "seen", () -> record.put("seen", time(event.minusNanos(random.nextInt(1_000_000) * 1000L))));
        return Json.write(record);
    }

    private void maybe(ObjectNode record, String field, Runnable put) {
        int roll = random.nextInt(10);
        if (roll == 0) {
            record.putNull(field);
        } else if (roll > 1) {
            put.run();
        } // roll 1: the field is absent
    }

    /** ISO text in one of the forms records carry: Z, an offset, or a space and no offset. */
    private String time(Instant instant) {
        return switch (random.nextInt(3)) {
            case 0 -> instant.toString();
            case 1 -> instant.atOffset(ZoneOffset.ofHoursMinutes(5, 30)).toString();
            default -> instant.atOffset(ZoneOffset.UTC).toLocalDateTime().toString().replace('T', ' ');
        };
    }
}
