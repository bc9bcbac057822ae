package dev.seer.features.online;

import static dev.seer.features.offline.PointInTimeJoin.NO_TIME;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every online store must do; each implementation's test runs it against the real store. */
abstract class OnlineStoreContract {
    OnlineStore store;

    abstract OnlineStore open() throws Exception;

    @BeforeEach
    void start() throws Exception {
        store = open();
    }

    /** Also runs when opening was skipped or failed (a missing service): closes only what was opened. */
    @AfterEach
    void stop() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void writtenRecordsAreReadBackAndMissingKeysAreEmpty() {
        store.write("stats", List.of(record("1", 10, 11, "{\"spend\":1.5}"), record("2", 20, NO_TIME, "{\"spend\":null}")));
        List<Optional<OnlineRecord>> read = store.read("stats", List.of("2", "3", "1"));
        assertThat(read.get(0)).contains(record("2", 20, NO_TIME, "{\"spend\":null}"));
        assertThat(read.get(1)).isEmpty();
        assertThat(read.get(2)).contains(record("1", 10, 11, "{\"spend\":1.5}"));
        assertThat(store.read("other_view", List.of("1")).get(0)).isEmpty();
    }

    @Test
    void aRecordOnlyReplacesAnOlderOne() {
        store.write("stats", List.of(record("k", 100, 5, "{\"v\":\"first\"}")));
        store.write("stats", List.of(record("k", 90, 50, "{\"v\":\"older event\"}")));
        store.write("stats", List.of(record("k", 100, 4, "{\"v\":\"same event, older created\"}")));
        store.write("stats", List.of(record("k", 100, NO_TIME, "{\"v\":\"same event, no created\"}")));
        assertThat(store.read("stats", List.of("k")).get(0).orElseThrow().values()).isEqualTo("{\"v\":\"first\"}");
        store.write("stats", List.of(record("k", 100, 6, "{\"v\":\"later created\"}")));
        assertThat(store.read("stats", List.of("k")).get(0).orElseThrow().values()).isEqualTo("{\"v\":\"later created\"}");
        store.write("stats", List.of(record("k", 100, 6, "{\"v\":\"exact tie, written later\"}")));
        assertThat(store.read("stats", List.of("k")).get(0).orElseThrow().values()).isEqualTo("{\"v\":\"exact tie, written later\"}");
        store.write("stats", List.of(record("k", 101, NO_TIME, "{\"v\":\"later event\"}")));
        assertThat(store.read("stats", List.of("k")).get(0).orElseThrow().eventMicros()).isEqualTo(101);
    }

    @Test
    void keysWithSeparatorsAndUnicodeStayApart() {
        store.write("v", List.of(record("a|b", 1, 1, "{\"x\":1}"), record("a", 1, 1, "{\"x\":2}"), record("é:1", 1, 1, "{\"x\":3}")));
        assertThat(store.read("v", List.of("a|b", "a", "é:1"))).extracting(r -> r.orElseThrow().values())
                .containsExactly("{\"x\":1}", "{\"x\":2}", "{\"x\":3}");
    }

    /**
     * Writers racing on the same keys: per view two writers leapfrog (events 2i and 2i + 1 of round
     * i, in batches over all keys) while a reader watches; a stored event time never goes back,
     * and each key ends with the latest.
     */
    @Test
    void racingWritersNeverReplaceANewerRecord() throws Exception {
        int rounds = 2000;
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < 50; k++) {
            keys.add("k" + k);
        }
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(4);
        java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger(4);
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            String view = t % 2 == 0 ? "even" : "odd";
            int lane = t / 2;
            threads.add(new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        long event = 2L * i + lane;
                        store.write(view, keys.stream().map(k -> record(k, event, NO_TIME, "{}")).toList());
                    }
                } catch (Throwable e) {
                    failures.add(e);
                } finally {
                    running.decrementAndGet();
                }
            }));
        }
        threads.forEach(Thread::start);
        long[] seen = new long[keys.size()];
        List<String> wentBack = new ArrayList<>();
        while (running.get() > 0) {
            List<Optional<OnlineRecord>> read = store.read("even", keys);
            for (int k = 0; k < keys.size(); k++) {
                long event = read.get(k).map(OnlineRecord::eventMicros).orElse(0L);
                if (event < seen[k]) {
                    wentBack.add(keys.get(k) + ": " + seen[k] + " then " + event);
                }
                seen[k] = event;
            }
        }
        for (Thread thread : threads) {
            thread.join(); // before any assertion: the store is closed after the test
        }
        assertThat(failures).isEmpty();
        assertThat(wentBack).as("stored event times that went back").isEmpty();
        for (String view : List.of("even", "odd")) {
            assertThat(store.read(view, keys)).allSatisfy(r -> assertThat(r.orElseThrow().eventMicros()).isEqualTo(2L * rounds - 1));
        }
    }

    @Test
    void aThousandKeysRoundTrip() {
        List<OnlineRecord> records = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            records.add(record(Integer.toString(i), 1_700_000_000_000_000L + i, NO_TIME, "{\"i\":" + i + "}"));
            keys.add(Integer.toString(i));
        }
        store.write("bulk", records);
        List<Optional<OnlineRecord>> read = store.read("bulk", keys);
        for (int i = 0; i < 1000; i++) {
            assertThat(read.get(i)).contains(records.get(i));
        }
    }

    static OnlineRecord record(String key, long event, long created, String values) {
        return new OnlineRecord(key, event, created, values);
    }
}
