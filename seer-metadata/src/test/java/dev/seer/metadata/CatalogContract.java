package dev.seer.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.catalog.Catalog;
import dev.seer.core.catalog.Catalog.Term;
import dev.seer.core.catalog.CatalogEntry;
import dev.seer.testing.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Catalog} must do with index terms: the SQLite and PostgreSQL stores and the
 * in-memory fake that components are tested with.
 */
abstract class CatalogContract {
    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    Catalog catalog;

    abstract Catalog open() throws Exception;

    /** Also runs when opening failed (a missing service): closes only what was opened. */
    void close() throws Exception {}

    @BeforeEach
    void openCatalog() throws Exception {
        catalog = open();
    }

    @AfterEach
    void closeCatalog() throws Exception {
        close();
    }

    @Test
    void filedEntriesAreFoundByTermHighestRankFirst() {
        create("b1", Json.object().put("n", 1), new Term("p:events/0", 99), new Term("view:spend", 0));
        create("b2", Json.object().put("n", 2), new Term("p:events/0", 199), new Term("view:spend", 0));
        create("b3", Json.object().put("n", 3), new Term("p:events/1", 50), new Term("view:spend", 0));
        create("a4", Json.object().put("n", 4), new Term("p:events/0", 149));
        catalog.create("ingest_batch", "b5", Json.object().put("n", 5), "t"); // no terms
        catalog.create("other_kind", "b6", Json.object().put("n", 6), List.of(new Term("p:events/0", 1_000)), "t");

        assertThat(catalog.filed("ingest_batch", "p:events/0", 10)).extracting(CatalogEntry::name)
                .containsExactly("b2", "a4", "b1");
        assertThat(catalog.filed("ingest_batch", "p:events/0", 1)).singleElement()
                .satisfies(e -> assertThat(e.body().path("n").asInt()).isEqualTo(2));
        // Equal ranks are ordered by name.
        assertThat(catalog.filed("ingest_batch", "view:spend", 10)).extracting(CatalogEntry::name)
                .containsExactly("b1", "b2", "b3");
        assertThat(catalog.filed("ingest_batch", "view:spend", 0)).isEmpty();
        assertThat(catalog.filed("ingest_batch", "p:events/2", 10)).isEmpty();
        assertThat(catalog.filed("other_kind", "p:events/0", 10)).extracting(CatalogEntry::name).containsExactly("b6");
    }

    @Test
    void aFiledEntryIsTheEntryAsCreated() {
        CatalogEntry created = create("b1", Json.parse("{\"lineage\":{\"partition\":3},\"files\":[\"x\"]}"),
                new Term("p:t/3", -1));
        assertThat(catalog.filed("ingest_batch", "p:t/3", 1)).containsExactly(created);
        assertThat(catalog.filed("ingest_batch", "p:t/3", 1).get(0).body()).isEqualTo(catalog.latest("ingest_batch", "b1")
                .orElseThrow().body());
    }

    @Test
    void aRefusedCreateFilesNothing() {
        create("b1", Json.object().put("writer", "first"), new Term("p:t/0", 10));
        assertThat(catalog.create("ingest_batch", "b1", Json.object().put("writer", "second"),
                List.of(new Term("p:t/0", 20), new Term("view:v", 0)), "t")).isEmpty();
        assertThat(catalog.filed("ingest_batch", "p:t/0", 10)).singleElement()
                .satisfies(e -> assertThat(e.body().path("writer").asText()).isEqualTo("first"));
        assertThat(catalog.filed("ingest_batch", "view:v", 10)).isEmpty();
    }

    @Test
    void aTermWithTwoRanksIsRefusedAndNothingIsRecorded() {
        assertThatThrownBy(() -> catalog.create("ingest_batch", "b1", Json.object(),
                List.of(new Term("p:t/0", 1), new Term("p:t/0", 2)), "t"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Term [p:t/0]");
        assertThat(catalog.latest("ingest_batch", "b1")).isEmpty();
        // The same term twice with one rank is filed once.
        create("b2", Json.object(), new Term("p:t/0", 5), new Term("p:t/0", 5));
        assertThat(catalog.filed("ingest_batch", "p:t/0", 10)).extracting(CatalogEntry::name).containsExactly("b2");
    }

    @Test
    void ofWritersRacingToCreateANameWithTermsExactlyOneIsFiled() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Optional<CatalogEntry>>> creates = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int n = i;
            creates.add(pool.submit(() -> catalog.create("ingest_batch", "events/0/100", Json.object().put("writer", n),
                    List.of(new Term("p:events/0", 100 + n)), "t")));
        }
        List<Integer> winners = new ArrayList<>();
        for (var create : creates) {
            create.get(30, TimeUnit.SECONDS).ifPresent(e -> winners.add(e.body().path("writer").asInt()));
        }
        pool.shutdown();
        assertThat(winners).hasSize(1);
        assertThat(catalog.filed("ingest_batch", "p:events/0", 10)).singleElement()
                .satisfies(e -> assertThat(e.body().path("writer").asInt()).isEqualTo(winners.get(0)));
    }

    private CatalogEntry create(String name, JsonNode body, Term... terms) {
        return catalog.create("ingest_batch", name, body, List.of(terms), "t").orElseThrow();
    }
}
