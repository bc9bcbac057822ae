package dev.seer.features.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.provenance.BatchRecord.KafkaSpan;
import dev.seer.features.Repositories;
import dev.seer.features.offline.OfflineStore;
import dev.seer.testing.InMemoryCatalog;
import dev.seer.testing.MutableClock;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rules a record must pass exist twice: in Java, one record at a time ({@link StreamRecords}:
 * a push is refused, a streamed record dead-lettered), and in DuckDB SQL for a batch
 * ({@link BatchWriter}: a row is quarantined). Stream ingestion stages the records it accepted as
 * JSONL and ingests them as a batch, so a record accepted by the first and refused by the second
 * would be acknowledged and then lost; and {@code seer ingest --file} of a push source's JSONL
 * would take records a push refuses. This test pins the two to each other: random records,
 * checked one by one and ingested as one JSONL file, are accepted by both or refused by both for
 * the same field and reason.
 *
 * <p>CSV is not compared: a push or kafka source reads JSON only (CSV is for file sources, whose
 * columns have no JSON type; StreamRecords does not take them).
 */
class RecordRulesTest {
    static final String REPOSITORY = """
            entities:
              - {name: customer, join_keys: [customer_id]}
              - {name: store, join_keys: [store_id]}
            sources:
              - name: events
                type: push
                timestamp_field: event_ts
                created_timestamp_field: created_ts
                schema: {customer_id: string, store_id: long, event_ts: timestamp, created_ts: timestamp, flag: bool,
                         small: int, big: long, ratio: float, amount: double, label: string, seen: timestamp,
                         code: int, note: string, score: double}
            feature_views:
              - name: by_customer
                entities: [customer]
                source: events
                features:
                  - {name: flag, type: bool, checks: {not_null: true}}
                  - {name: small, type: int, checks: {not_null: true, min: -5, max: 100}}
                  - {name: big, type: long, checks: {min: -3000000000, max: 3000000000}}
                  - {name: ratio, type: float, checks: {min: 0, max: 1.5}}
                  - {name: amount, type: double, checks: {not_null: true, min: -1000.5, max: 1000.5}}
                  - {name: label, type: string, checks: {allowed: [basic, pro, "é-ü", "12"]}}
                  - {name: seen, type: timestamp, checks: {not_null: true}}
              - name: by_store
                entities: [customer, store]
                source: events
                features:
                  - {name: code, type: int, checks: {allowed: ["1", "2", "3"]}}
                  - {name: note, type: string}
                  - {name: score, type: double}
            """;

    static final List<String> FIELDS = List.of("customer_id", "store_id", "event_ts", "created_ts", "flag", "small", "big",
            "ratio", "amount", "label", "seen", "code", "note", "score");

    @TempDir
    Path dir;

    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
    InMemoryCatalog catalog = new InMemoryCatalog(clock);
    Ingestor ingestor;
    StreamRecords rules;

    @BeforeEach
    void apply() throws Exception {
        Repositories.applyWith(catalog, dir, REPOSITORY, "unused\n");
        ingestor = new Ingestor(catalog, new OfflineStore(dir.resolve("home/offline")), clock);
        rules = StreamRecords.of(catalog, "events");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void streamAndBatchJudgeRandomRecordsAlike(long seed) throws Exception {
        Random random = new Random(seed);
        List<ObjectNode> records = new ArrayList<>();
        Set<Integer> singleFaults = new HashSet<>();
        for (int i = 0; i < 400; i++) {
            if (random.nextInt(3) == 0) {
                records.add(randomRecord(random));
            } else {
                records.add(oneFault(random));
                singleFaults.add(i);
            }
        }
        List<Judged> judged = judge(records, "seed-" + seed);
        List<String> disagreements = new ArrayList<>();
        Set<String> rulesBroken = new TreeSet<>();
        int accepted = 0;
        for (int i = 0; i < judged.size(); i++) {
            Judged j = judged.get(i);
            // The stream stops at the first rule broken, the batch names them all; a record with one bad field breaks one.
            Optional<String> stream = j.stream().map(p -> normalized(p.describe()));
            boolean agree = stream.isEmpty() ? j.batch().isEmpty()
                    : singleFaults.contains(i) ? j.batch().equals(Set.of(stream.get())) : j.batch().contains(stream.get());
            if (!agree) {
                disagreements.add("row " + (i + 1) + " " + j.record() + "\n    stream: " + stream.orElse("accepted") + "\n    batch:  "
                        + (j.batch().isEmpty() ? "accepted" : j.batch()));
            }
            accepted += stream.isEmpty() && j.batch().isEmpty() ? 1 : 0;
            j.batch().forEach(reason -> rulesBroken.add(rule(reason)));
        }
        assertThat(disagreements).as("seed %d: records judged differently (replay with this seed)", seed).isEmpty();
        // Stream ingestion stages the records it took as JSONL, rewritten, and ingests them: none may be held back there.
        StringWriter staged = new StringWriter();
        try (SequenceWriter out = Json.lines(staged)) {
            for (Judged j : judged) {
                if (j.stream().isEmpty()) {
                    out.write(rules.staged(j.record()));
                }
            }
        }
        IngestReport stagedReport = ingestor.ingestStaged("events", Files.writeString(dir.resolve("staged-" + seed + ".jsonl"),
                staged.toString()), "events/0/" + seed,
                new KafkaSpan("events", 0, seed, seed, 1, 0, "test", Long.MIN_VALUE), "test");
        assertThat(stagedReport.rowsQuarantined()).as("seed %d: records the stream took, quarantined when staged", seed).isZero();
        // The records exercise every rule, and not only refusals.
        assertThat(accepted).as("seed %d: records accepted by both", seed).isGreaterThan(records.size() / 10);
        assertThat(rulesBroken).as("seed %d: rules broken", seed).contains("is not a bool", "is not a int", "is not a long",
                "is not a float", "is not a double", "is not a string", "is not a timestamp", "join key is missing",
                "event timestamp is missing", "value is missing (not_null)", "is below min", "is above max", "is not one of");
    }

    /** The rule a reason names, without field and values. */
    private static String rule(String reason) {
        String rule = reason.replaceFirst("^\\[\\w+] ", "");
        if (!rule.startsWith("value is missing")) {
            rule = rule.replaceFirst("^value (\\[.*]|\\S+) ", "");
        }
        return rule.replaceFirst(" (min|max) .*", " $1").replaceFirst(" one of .*", " one of");
    }

    // ---- each disagreement found, by name ----

    @Test
    void aRecordEveryRuleAcceptsIsAcceptedByBothAtTheBoundsOfItsChecks() throws Exception {
        ObjectNode record = goodRecord(new Random(0));
        record.put("small", -5).put("big", 3_000_000_000L).put("ratio", 1.5).put("amount", -1000.5).put("label", "é-ü")
                .put("customer_id", "").put("event_ts", "2026-03-01 10:00:00.25").put("seen", "0000-01-01T00:00:00-18:00");
        assertJudgedAlike(List.of(record), Optional.empty());
    }

    @Test
    void aNumberWrittenAsAStringIsNotANumber() throws Exception {
        // The batch cast the text of a JSON string: "12" was an int, "NaN" a double above its max.
        assertJudgedAlike(List.of(with("small", NODES.textNode("12"))), Optional.of("[small] value [12] is not a int"));
        assertJudgedAlike(List.of(with("amount", NODES.textNode("NaN"))), Optional.of("[amount] value [NaN] is not a double"));
        assertJudgedAlike(List.of(with("ratio", NODES.textNode(" 0.5 "))), Optional.of("[ratio] value [ 0.5 ] is not a float"));
    }

    @Test
    void aBoolIsTrueOrFalse() throws Exception {
        // The batch took 1, 0, "true", "t" and "TRUE".
        assertJudgedAlike(List.of(with("flag", NODES.numberNode(1))), Optional.of("[flag] value [1] is not a bool"));
        assertJudgedAlike(List.of(with("flag", NODES.textNode("t"))), Optional.of("[flag] value [t] is not a bool"));
    }

    @Test
    void aWholeNumberHasNoFraction() throws Exception {
        // The batch rounded 2.5 to an int, and took 3.0E9 as a long.
        assertJudgedAlike(List.of(with("code", NODES.numberNode(2.5))), Optional.of("[code] value [2.5] is not a int"));
        assertJudgedAlike(List.of(with("big", NODES.numberNode(3.0e9))), Optional.of("[big] value [3.0E9] is not a long"));
    }

    @Test
    void anObjectOrAnArrayIsNotAString() throws Exception {
        assertJudgedAlike(List.of(with("note", NODES.arrayNode().add(1).add("x"))), Optional.of("[note] value [[1,\"x\"]] is not a string"));
    }

    @Test
    void joinKeysHaveTheirDeclaredType() throws Exception {
        // The batch kept join keys as text, whatever their JSON type.
        assertJudgedAlike(List.of(with("store_id", NODES.textNode("abc"))), Optional.of("[store_id] value [abc] is not a long"));
        assertJudgedAlike(List.of(with("customer_id", NODES.objectNode().put("a", 1))),
                Optional.of("[customer_id] value [{\"a\":1}] is not a string"));
    }

    @Test
    void aTimeOnlyDuckDbReadsIsRefusedByBoth() throws Exception {
        assertTimesRefused(List.of("2026-03-01T10:00:00 UTC", "2026-03-01", "infinity", "2026-03-01T24:00:00Z", "2026-03-01 10:00:00Z",
                "2026-03-01T10:00:00.1234567891Z", "2026-03-01T10:00:00+19:00"));
    }

    @Test
    void aTimeOnlyJavaReadsIsRefusedByBoth() throws Exception {
        // The stream took these and the batch quarantined them: a push acknowledged, then lost.
        assertTimesRefused(List.of("2026-03-01t10:00:00z", "+10000-01-01T00:00:00Z", "2026-03-01T10:00:00+05:30:15"));
    }

    @Test
    void aFloatIsCheckedAsTheFloatItIsStoredAs() throws Exception {
        // 1.50000001 is stored as 1.5, which max 1.5 allows; the stream compared the double.
        assertJudgedAlike(List.of(with("ratio", NODES.numberNode(1.50000001))), Optional.empty());
        assertJudgedAlike(List.of(with("ratio", NODES.numberNode(1.5000002))), Optional.of("[ratio] value 1.5000002 is above max 1.5"));
    }

    @Test
    void aNumberBeyondTheRangeOfItsTypeIsNotOfTheType() throws Exception {
        // Both took 1e400 as an infinite double; staged again by stream ingestion it became the string
        // "Infinity", which the batch refused: a record acknowledged, then quarantined.
        String line = Json.mapper().writeValueAsString(goodRecord(new Random(1)).put("score", 7))
                .replace("\"score\":7", "\"score\":1e400");
        assertThat(rules.check(Json.parse(line)).map(StreamRecords.Problem::describe)).contains("[score] value [Infinity] is not a double");
        IngestReport report = ingestor.ingest("events", Optional.of(Files.writeString(dir.resolve("inf.jsonl"), line + "\n")), "test");
        // held back from both views: the one with the feature, and the other, as the stream refuses the whole record
        assertThat(ingestor.quarantine(report.batchId(), 10)).extracting(q -> q.view() + " " + normalized("[" + q.column() + "] "
                + q.reason())).containsExactly("by_customer [score] value [Infinity] is not a double",
                        "by_store [score] value [Infinity] is not a double");
        assertJudgedAlike(List.of(with("ratio", NODES.numberNode(3.5e38))), Optional.of("[ratio] value [3.5E38] is not a float"));
    }

    @Test
    void hugeButFiniteDoublesDoNotFailTheBatch() throws Exception {
        // The batch's statistics (SUMMARIZE) failed on their variance, and with them the whole batch.
        assertJudgedAlike(List.of(with("score", NODES.numberNode(1e300)), with("score", NODES.numberNode(-1e300))), Optional.empty());
    }

    private int files;

    /** Each record is refused by the stream with exactly {@code reason}, and held back by the batch for it alone. */
    private void assertJudgedAlike(List<ObjectNode> records, Optional<String> reason) throws Exception {
        for (Judged j : judge(records, "case-" + files++)) {
            assertThat(j.stream().map(StreamRecords.Problem::describe)).as("stream on %s", j.record()).isEqualTo(reason);
            assertThat(j.batch()).as("batch on %s", j.record()).isEqualTo(reason.map(r -> Set.of(normalized(r))).orElse(Set.of()));
        }
    }

    /** Each time, as event time and as a timestamp feature, refused by both for the field alone. */
    private void assertTimesRefused(List<String> times) throws Exception {
        List<ObjectNode> records = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (String time : times) {
            for (String field : List.of("event_ts", "seen")) {
                records.add(with(field, NODES.textNode(time)));
                reasons.add("[" + field + "] value [" + time + "] is not a timestamp");
            }
        }
        List<Judged> judged = judge(records, "case-" + files++);
        for (int i = 0; i < judged.size(); i++) {
            Judged j = judged.get(i);
            assertThat(j.stream().map(StreamRecords.Problem::describe)).as("stream on %s", j.record()).contains(reasons.get(i));
            assertThat(j.batch()).as("batch on %s", j.record()).containsExactly(reasons.get(i));
        }
    }

    private ObjectNode with(String field, JsonNode value) {
        return goodRecord(new Random(field.hashCode())).set(field, value);
    }

    /** A record, the stream's problem with it, and the batch's (normalised) reasons for holding it back. */
    private record Judged(JsonNode record, Optional<StreamRecords.Problem> stream, Set<String> batch) {}

    /** Each record checked by the stream, and all of them ingested as one JSONL file. */
    private List<Judged> judge(List<ObjectNode> records, String name) throws Exception {
        StringBuilder lines = new StringBuilder();
        for (ObjectNode record : records) {
            lines.append(Json.mapper().writeValueAsString(record)).append('\n');
        }
        Path file = Files.writeString(dir.resolve(name + ".jsonl"), lines);
        IngestReport report = ingestor.ingest("events", Optional.of(file), "test");
        assertThat(report.rowsRead()).isEqualTo(records.size());
        Map<Long, Set<String>> quarantined = new TreeMap<>();
        for (QuarantineRecord q : ingestor.quarantine(report.batchId(), Integer.MAX_VALUE)) {
            quarantined.computeIfAbsent(q.row(), r -> new TreeSet<>()).add(normalized(new StreamRecords.Problem(q.column(), q.reason())
                    .describe()));
        }
        List<Judged> judged = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            // The record as the stream sees it: parsed from the same text as the batch reads.
            JsonNode parsed = Json.parse(Json.mapper().writeValueAsString(records.get(i)));
            judged.add(new Judged(parsed, rules.check(parsed), quarantined.getOrDefault(i + 1L, Set.of())));
        }
        return judged;
    }

    private static final Pattern VALUE = Pattern.compile("^(\\[\\w+] value )(\\[?)([^ \\]]+)(]?) ");

    /**
     * The problem as the test compares it. The one difference of wording allowed: a number in
     * the reason is compared as a number, since DuckDB prints the numbers it read its own way
     * ({@code 1.5E20} is {@code 1.5e+20} or {@code 150000000000000000000.0} there, and a double
     * beyond the float range, as a float, {@code inf} where Java says {@code Infinity}).
     */
    static String normalized(String problem) {
        Matcher m = VALUE.matcher(problem);
        if (m.find()) {
            try {
                String number = switch (m.group(3)) {
                    case "inf" -> "Infinity";
                    case "-inf" -> "-Infinity";
                    default -> m.group(3);
                };
                return m.group(1) + m.group(2) + Double.parseDouble(number) + m.group(4) + " " + problem.substring(m.end());
            } catch (NumberFormatException e) {
                // not a number: compared as it is
            }
        }
        return problem;
    }

    // ---- records ----

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** A record every rule accepts, with one field replaced by a random (often bad) value. */
    private ObjectNode oneFault(Random random) {
        ObjectNode record = goodRecord(random);
        String field = FIELDS.get(random.nextInt(FIELDS.size()));
        JsonNode value = value(field, random);
        if (value == null) {
            record.remove(field);
        } else {
            record.set(field, value);
        }
        return record;
    }

    private ObjectNode randomRecord(Random random) {
        ObjectNode record = NODES.objectNode();
        for (String field : FIELDS) {
            JsonNode value = random.nextInt(3) == 0 ? value(field, random) : good(field, random);
            if (value != null) {
                record.set(field, value);
            }
        }
        if (random.nextInt(4) == 0) {
            record.put("extra", "dropped"); // fields outside the schema are ignored
        }
        return record;
    }

    private ObjectNode goodRecord(Random random) {
        ObjectNode record = NODES.objectNode();
        FIELDS.forEach(f -> record.set(f, good(f, random)));
        return record;
    }

    private static JsonNode good(String field, Random random) {
        return switch (field) {
            case "customer_id" -> NODES.textNode("c" + random.nextInt(50));
            case "store_id" -> NODES.numberNode(random.nextLong(1, 1_000_000_000_000L));
            // event times within a few days: the batch writes a file per event date and view
            case "event_ts" -> NODES.textNode(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(random.nextInt(300_000)).toString());
            case "created_ts", "seen" -> NODES.textNode(Instant.parse("2026-01-01T00:00:00Z")
                    .plusSeconds(random.nextInt(30_000_000)).toString());
            case "flag" -> NODES.booleanNode(random.nextBoolean());
            case "small" -> NODES.numberNode(random.nextInt(-5, 101));
            case "big" -> NODES.numberNode(random.nextLong(-3_000_000_000L, 3_000_000_001L));
            case "ratio" -> NODES.numberNode(random.nextInt(0, 151) / 100.0);
            case "amount" -> NODES.numberNode(Math.round(random.nextDouble(-1000.5, 1000.5) * 100) / 100.0);
            case "score" -> NODES.numberNode(random.nextGaussian() * 1e6);
            case "label" -> NODES.textNode(pick(random, List.of("basic", "pro", "é-ü", "12")));
            case "code" -> NODES.numberNode(random.nextInt(1, 4));
            case "note" -> NODES.textNode(pick(random, List.of("hello", "", "ünïcödé ✓", "日本語", "a\"quote", "line\\back")));
            default -> throw new IllegalArgumentException(field);
        };
    }

    /** A value for the field from its edge and bad values; null means: leave the field out. */
    private static JsonNode value(String field, Random random) {
        List<Function<Random, JsonNode>> common = List.of(r -> null, r -> NODES.nullNode(), r -> NODES.objectNode().put("a", 1),
                r -> NODES.arrayNode().add(1).add("x"), r -> NODES.booleanNode(r.nextBoolean()), r -> NODES.textNode(""),
                r -> NODES.textNode("abc"), r -> NODES.textNode("NaN"), r -> NODES.textNode("Infinity"),
                r -> NODES.textNode("-Infinity"), r -> NODES.numberNode(r.nextInt(-10, 10)),
                r -> NODES.numberNode(r.nextInt(-1000, 1000) / 8.0), r -> NODES.textNode(String.valueOf(r.nextInt(-10, 10))),
                r -> NODES.textNode(" 7 "), r -> NODES.textNode("日本"), r -> NODES.numberNode(new BigInteger("123456789012345678901234567890")),
                r -> NODES.numberNode(1e300), r -> NODES.textNode("1e400"));
        List<Function<Random, JsonNode>> specific = switch (field) {
            case "customer_id", "note", "label" -> List.of(r -> NODES.textNode(pick(r, List.of("basic", "pro", "Pro", " basic",
                    "é-ü", "e\u0301-ü", "12", "gold", "😀", "\u0000x"))), r -> NODES.numberNode(12), r -> NODES.numberNode(12.0),
                    r -> NODES.numberNode(1.5e20));
            case "store_id", "big" -> List.of(r -> NODES.numberNode(Long.MAX_VALUE), r -> NODES.numberNode(Long.MIN_VALUE),
                    r -> NODES.numberNode(BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE)),
                    r -> NODES.numberNode(BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.ONE)),
                    r -> NODES.numberNode(3_000_000_000L), r -> NODES.numberNode(3_000_000_001L),
                    r -> NODES.numberNode(-3_000_000_000L), r -> NODES.numberNode(-3_000_000_001L), r -> NODES.numberNode(2.0),
                    r -> NODES.numberNode(3.0e9), r -> NODES.numberNode(1e19));
            case "small", "code" -> List.of(r -> NODES.numberNode(Integer.MAX_VALUE), r -> NODES.numberNode(Integer.MIN_VALUE),
                    r -> NODES.numberNode(Integer.MAX_VALUE + 1L), r -> NODES.numberNode(Integer.MIN_VALUE - 1L),
                    r -> NODES.numberNode(-5), r -> NODES.numberNode(-6), r -> NODES.numberNode(100), r -> NODES.numberNode(101),
                    r -> NODES.numberNode(1), r -> NODES.numberNode(4), r -> NODES.numberNode(1.0), r -> NODES.numberNode(2.5),
                    r -> NODES.numberNode(1e2), r -> NODES.textNode("2"));
            case "ratio", "amount", "score" -> List.of(r -> NODES.numberNode(0.0), r -> NODES.numberNode(-0.0),
                    r -> NODES.numberNode(Math.nextDown(0.0)), r -> NODES.numberNode(1.5), r -> NODES.numberNode(Math.nextUp(1.5)),
                    r -> NODES.numberNode(1.5000001), r -> NODES.numberNode(1.50000001), r -> NODES.numberNode(-1000.5),
                    r -> NODES.numberNode(1000.5), r -> NODES.numberNode(Math.nextUp(1000.5)), r -> NODES.numberNode(-1000.5001),
                    r -> NODES.numberNode(1000.50001), r -> NODES.numberNode(3.4e38), r -> NODES.numberNode(3.5e38),
                    r -> NODES.numberNode(1e-50), r -> NODES.numberNode(0.1), r -> NODES.numberNode(1),
                    r -> NODES.numberNode(Long.MAX_VALUE), r -> NODES.textNode("0.5"));
            case "event_ts", "created_ts", "seen" -> List.of(r -> NODES.textNode(pick(r, List.of("2026-03-01T10:00:00Z",
                    "2026-03-01T10:00:00.123456789Z", "2026-03-01T10:00:00+05:30", "2026-03-01T10:00:00-08:00",
                    "2026-03-01T10:00:00", "2026-03-01 10:00:00", "2026-03-01 10:00:00.5", "2026-03-01T10:00Z",
                    "2026-03-01T10:00", "2026-03-01", "2026-03-01T10:00:00+0530", "2026-03-01T10:00:00+05",
                    "2026-03-01 10:00:00Z", "2026-03-01 10:00:00+02:00", "2026-03-01T10:00:00 UTC", "2026-02-30T00:00:00Z",
                    "2026-03-01T24:00:00Z", "2026-03-01t10:00:00z", "0000-01-01T00:00:00Z", "0001-01-01T00:00:00Z",
                    "9999-12-31T23:59:59Z", "+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "yesterday",
                    "2026-03-01T10:00:00+18:00", "2026-03-01T10:00:00+19:00", "1772359200", "2026-03-01T10:00:00.Z",
                    "2026-03-01T10:00:00.1234567891Z", "2026-03-01T10:60:00Z", "2026-03-01T10:00:60Z", "2026-00-10T00:00:00Z",
                    "2026-03-00T00:00:00Z", "2026-13-01T00:00:00Z", "2026-03-01T10:00:00+05:30:15", "2026-03-01T10:00:00.1234567Z",
                    "2026-03-01T10:00:00-18:00", "2026-03-01T10:00:00-18:30", "2026-03-01T10:00:00+05:60", "2026-3-1T10:00:00Z",
                    "infinity", "2026-03-01T10:00:00\u0665Z", "2026-03-01T10:00:00Z "))),
                    r -> NODES.numberNode(1_772_359_200L));
            case "flag" -> List.of(r -> NODES.textNode(pick(r, List.of("true", "false", "t", "yes", "1", "TRUE"))),
                    r -> NODES.numberNode(1), r -> NODES.numberNode(0));
            default -> throw new IllegalArgumentException(field);
        };
        List<Function<Random, JsonNode>> choices = random.nextBoolean() ? specific : common;
        return choices.get(random.nextInt(choices.size())).apply(random);
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
