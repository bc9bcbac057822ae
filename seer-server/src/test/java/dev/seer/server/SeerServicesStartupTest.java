package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import dev.seer.core.config.SeerConfig;
import dev.seer.core.home.HomeLock;
import dev.seer.core.home.SeerHome;
import dev.seer.features.online.OnlineConfig;
import dev.seer.features.online.RocksDbOnlineStore;
import dev.seer.metadata.MetadataConfig;
import dev.seer.server.Startup.Step;
import dev.seer.testing.PostgresDatabase;
import dev.seer.testing.TestRedis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A start-up that fails at any step leaves nothing of the earlier steps behind: no thread, no
 * open file in the home, no RocksDB lock; the home can be opened again at once. Failures are
 * injected right after each step (through {@link Startup.Probe}), and real ones where the
 * inputs make them: a Redis that does not answer, a RocksDB folder another store holds, a
 * metadata store whose migration history records a failure.
 */
class SeerServicesStartupTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);
    /** Threads start-up may start: the pool's, the audit writer's, the Redis pool's evictor, Kafka's. */
    private static final Pattern OURS = Pattern.compile("(?i)seer-|hikari|commons-pool|jedis|kafka|rocksdb");

    @TempDir
    Path dir;

    private SeerHome home;
    private HomeLock lock;

    @BeforeEach
    void lockHome() {
        home = SeerHome.create(dir.resolve("home"));
        lock = home.lock("test", CLOCK);
    }

    @AfterEach
    void unlockHome() {
        lock.close();
    }

    @ParameterizedTest
    @EnumSource(Step.class)
    void aFailureAfterAnyStepClosesWhatWasOpened(Step failing) {
        failAfter(failing, ConfigSections.defaults());
        // RocksDB's own lock is released: another store opens the folder.
        new RocksDbOnlineStore(home.root().resolve("online")).close();
    }

    @ParameterizedTest
    @EnumSource(Step.class)
    @Tag("integration")
    void aFailureAfterAnyStepClosesWhatWasOpenedOnPostgresAndRedis(Step failing) throws Exception {
        TestRedis.require();
        try (PostgresDatabase postgres = PostgresDatabase.create()) {
            SeerConfig defaults = ConfigSections.defaults();
            SeerConfig config = defaults.with(MetadataConfig.SECTION, new MetadataConfig(postgres.url(), postgres.user(), "", 4))
                    .with(OnlineConfig.SECTION, new OnlineConfig("redis", TestRedis.URL, "seer-test-" + UUID.randomUUID() + ":"));
            failAfter(failing, config);
        }
    }

    private void failAfter(Step failing, SeerConfig config) {
        Leftovers before = Leftovers.of(home.root());
        RuntimeException injected = new IllegalStateException("injected after " + failing);
        List<Step> opened = new ArrayList<>();
        assertThatThrownBy(() -> SeerServices.open(home, config, CLOCK, step -> {
            opened.add(step);
            if (step == failing) {
                throw injected;
            }
        })).isSameAs(injected).satisfies(e -> assertThat(e.getSuppressed()).as("close failures").isEmpty());
        assertThat(opened).as("steps run, in order").containsExactlyElementsOf(
                Stream.of(Step.values()).filter(s -> s.ordinal() <= failing.ordinal()).toList());
        assertNothingLeftBehind(before, config);
    }

    @Test
    void aRedisThatDoesNotAnswerFailsTheOnlineStoreStepAndClosesTheEarlierOnes() {
        SeerConfig defaults = ConfigSections.defaults();
        SeerConfig config = defaults.with(OnlineConfig.SECTION, new OnlineConfig("redis", "redis://127.0.0.1:1", "seer:"));
        Leftovers before = Leftovers.of(home.root());
        List<Step> opened = new ArrayList<>();
        assertThatThrownBy(() -> SeerServices.open(home, config, CLOCK, opened::add))
                .isInstanceOf(SeerException.class).hasMessageContaining("[redis://127.0.0.1:1]");
        assertThat(opened).as("steps opened before the failing one").endsWith(Step.RETRIEVAL).doesNotContain(Step.ONLINE_STORE);
        assertNothingLeftBehind(before, defaults);
    }

    @Test
    void aPredictionLogTopicSharedWithFeedbackOrDeadLettersFailsTheServingStepBeforeAnyBrokerStarts() {
        SeerConfig defaults = ConfigSections.defaults();
        for (String shared : List.of("outcomes", dev.seer.features.stream.Streaming.DEAD_LETTER_TOPIC)) {
            SeerConfig config = defaults.with(dev.seer.serving.feedback.FeedbackOptions.SECTION,
                    new dev.seer.serving.feedback.FeedbackOptions(java.util.Optional.of("outcomes")))
                    .with(dev.seer.serving.log.LogOptions.SECTION, dev.seer.serving.log.LogOptions.DEFAULT.replicatedTo(shared));
            Leftovers before = Leftovers.of(home.root());
            List<Step> opened = new ArrayList<>();
            assertThatThrownBy(() -> SeerServices.open(home, config, CLOCK, opened::add)).isInstanceOfSatisfying(
                    SeerException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(dev.seer.core.CoreErrorCode.CONFIG_INVALID_VALUE);
                        assertThat(e.getMessage()).contains("[prediction-log.kafka-topic]", "[" + shared + "]");
                    });
            assertThat(opened).doesNotContain(Step.SERVING);
            assertThat(Files.exists(home.root().resolve("kafka"))).as("no broker started").isFalse();
            assertNothingLeftBehind(before, defaults);
        }
    }

    @Test
    void aRocksDbFolderThatCannotBeOpenedFailsTheOnlineStoreStepAndClosesTheEarlierOnes() {
        List<Step> opened = new ArrayList<>();
        try (RocksDbOnlineStore holder = new RocksDbOnlineStore(home.root().resolve("online"))) {
            Leftovers before = Leftovers.of(home.root());
            assertThatThrownBy(() -> SeerServices.open(home, ConfigSections.defaults(), CLOCK, opened::add))
                    .isInstanceOf(SeerException.class).hasMessageContaining("Cannot open the RocksDB online store");
            assertThat(Leftovers.of(home.root()).minus(before)).as("left behind").isEmpty();
        }
        assertThat(opened).endsWith(Step.RETRIEVAL);
        assertNothingLeftBehind(Leftovers.of(home.root()), ConfigSections.defaults());
        new RocksDbOnlineStore(home.root().resolve("online")).close();
    }

    @Test
    void aMetadataStoreThatCannotMigrateFailsTheFirstStepAndLeavesNothingOpen() throws Exception {
        // A migration history that records a failed migration: Flyway refuses to go on.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.root().resolve("metadata.db"));
                Statement statement = c.createStatement()) {
            statement.execute("CREATE TABLE flyway_schema_history (installed_rank INT NOT NULL PRIMARY KEY,"
                    + " version VARCHAR(50), description VARCHAR(200) NOT NULL, type VARCHAR(20) NOT NULL,"
                    + " script VARCHAR(1000) NOT NULL, checksum INT, installed_by VARCHAR(100) NOT NULL,"
                    + " installed_on TEXT NOT NULL, execution_time INT NOT NULL, success BOOLEAN NOT NULL)");
            statement.execute("INSERT INTO flyway_schema_history VALUES (1, '1', 'init', 'SQL', 'V1__init.sql', 0, 'test',"
                    + " '2026-01-01 00:00:00.000', 1, 0)");
        }
        Leftovers before = Leftovers.of(home.root());
        List<Step> opened = new ArrayList<>();
        assertThatThrownBy(() -> SeerServices.open(home, ConfigSections.defaults(), CLOCK, opened::add))
                .isInstanceOf(SeerException.class).hasMessageContaining("Migrating the metadata store");
        assertThat(opened).isEmpty();
        assertThat(Leftovers.of(home.root()).minus(before)).as("left behind").isEmpty();
    }

    @Test
    void closingAfterAFailureKeepsTheFailureAndAddsEachCloseFailureAsSuppressed() {
        List<String> closed = new ArrayList<>();
        Startup startup = new Startup(step -> { });
        startup.open(Step.DATABASE, "database", name -> {
            closed.add(name);
            throw new IllegalStateException("database close failed");
        });
        startup.open(Step.AUDIT_LOG, "audit", closed::add);
        startup.open(Step.ONLINE_STORE, "online", name -> {
            closed.add(name);
            throw new IllegalStateException("online close failed");
        });
        RuntimeException failure = new IllegalStateException("streaming failed");
        startup.closeAll(failure);
        assertThat(closed).as("closed in reverse order, all of them").containsExactly("online", "audit", "database");
        assertThat(failure.getSuppressed()).extracting(Throwable::getMessage)
                .containsExactly("online close failed", "database close failed");
        startup.closeAll(); // nothing is closed twice
        assertThat(closed).hasSize(3);
    }

    @Test
    void closingTheServicesClosesEverythingAndThrowsTheFirstCloseFailureWithTheOthersSuppressed() {
        Startup startup = new Startup(step -> { });
        List<String> closed = new ArrayList<>();
        startup.open(Step.DATABASE, "database", name -> {
            closed.add(name);
            throw new IllegalStateException("database close failed");
        });
        startup.open(Step.ONLINE_STORE, "online", name -> {
            closed.add(name);
            throw new IllegalStateException("online close failed");
        });
        assertThatThrownBy(startup::closeAll).hasMessage("online close failed")
                .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
                        .containsExactly("database close failed"));
        assertThat(closed).containsExactly("online", "database");
    }

    @Test
    void servicesThatOpenedCloseEverythingTheyOpened() {
        Leftovers before = Leftovers.of(home.root());
        SeerServices.open(home, ConfigSections.defaults(), CLOCK).close();
        assertThat(Leftovers.of(home.root()).minus(before)).as("left behind").isEmpty();
    }

    /**
     * Nothing that start-up opened is left (threads it started end soon after their pool closes,
     * so they are given a moment to end); then the same home opens again with {@code config} and
     * the home's lock can be taken again.
     */
    private void assertNothingLeftBehind(Leftovers before, SeerConfig config) {
        assertThat(Leftovers.of(home.root()).minus(before)).as("left behind").isEmpty();
        SeerServices.open(home, config, CLOCK).close();
        lock.close();
        lock = home.lock("test", CLOCK);
    }

    /** Live threads and open descriptors on the home's files. */
    private record Leftovers(Set<Thread> threads, Map<String, String> homeFiles) {
        static Leftovers of(Path home) {
            try {
                return new Leftovers(Thread.getAllStackTraces().keySet(), openFiles(home.toRealPath()));
            } catch (IOException e) {
                throw new IllegalStateException("Cannot resolve " + home, e);
            }
        }

        /**
         * What is here and not in {@code before}: threads that are not daemons or are ours (after
         * waiting up to ten seconds each for them to end: a closed pool ends its threads
         * asynchronously) and descriptors on the home's files, counted one by one.
         */
        List<String> minus(Leftovers before) {
            List<String> left = new ArrayList<>();
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (!before.threads.contains(thread) && (!thread.isDaemon() || OURS.matcher(thread.getName()).find())) {
                    awaitEnd(thread);
                    if (thread.isAlive()) {
                        left.add("thread " + thread.getName());
                    }
                }
            }
            // By descriptor, not by name: a RocksDB that fails to open renames the holder's LOG under it.
            homeFiles.forEach((descriptor, file) -> {
                if (!before.homeFiles.containsKey(descriptor)) {
                    left.add("open file " + file + " (descriptor " + descriptor + ")");
                }
            });
            if (homeFiles.size() > before.homeFiles.size()) {
                left.add("descriptors on the home's files: " + before.homeFiles.size() + " before, " + homeFiles.size() + " now");
            }
            return left;
        }

        private static void awaitEnd(Thread thread) {
            try {
                thread.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** This process's descriptors on files in the home, with their targets (Linux: /proc/self/fd). */
        private static Map<String, String> openFiles(Path home) {
            Path descriptors = Path.of("/proc/self/fd");
            Map<String, String> files = new TreeMap<>();
            if (!Files.isDirectory(descriptors)) {
                return files; // not Linux: threads are still checked
            }
            try (Stream<Path> entries = Files.list(descriptors)) {
                for (Path entry : entries.toList()) {
                    try {
                        Path target = Files.readSymbolicLink(entry);
                        if (target.startsWith(home)) {
                            files.put(entry.getFileName().toString(), target.toString());
                        }
                    } catch (IOException e) {
                        // closed since it was listed (the listing's own descriptor among them)
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("Cannot list " + descriptors, e);
            }
            return files;
        }
    }
}
