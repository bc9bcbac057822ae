package dev.seer.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.features.PointInTimeRetrieval.ServiceVersion;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The manifest's one JSON form, against manifests as Seer recorded them before the manifest was
 * typed (copied from the catalog of DatasetStoreTest's runs): retrievals with a feature service
 * and a key or a time split, a retrieval of stream batches, and an import with a key split.
 */
class DatasetManifestCodecTest {
    /** {@code churn:1} of a key split: a feature service, file batches, a label. */
    private static final String RETRIEVAL = """
            {
              "created": "2026-11-27T12:00:00Z",
              "creator": "alice",
              "data": {
                "bytes": 10562,
                "format": "parquet",
                "rows": 1000,
                "sha256": "e772a008bca7528d41026c0fd4ee5b4c4978e1ff2a5974764363f5f5d83c8546"
              },
              "engine": "duckdb v1.5.6",
              "fingerprint": "11c83df52e2ec7afe8a31ad914b28cd6b4554ff07a2e2dc2ac0b2182afedb180",
              "format": 1,
              "key": [
                "customer_id",
                "event_timestamp"
              ],
              "label": "churned",
              "lineage": {
                "batches_object": "3dedeae234ca4b4e8cec432c7cf0656bd64e794593670de1ea0638dc1f19811f",
                "entities": {
                  "bytes": 30177,
                  "path": "/tmp/junit-16930047395199627400/entities.csv",
                  "rows": 1000,
                  "sha256": "e7b6ce2b87e86e2fcffad588740b712eadb5de2109646f01fb5483b4d7c08303"
                },
                "feature_refs": [
                  "customer_stats:spend",
                  "customer_stats:plan"
                ],
                "feature_service": {
                  "name": "churn_v1",
                  "version": 1
                },
                "features": [
                  "churn_v1"
                ],
                "kind": "retrieval",
                "options": {
                  "filter_by_created_timestamp": false,
                  "label": "churned"
                },
                "views": [
                  {
                    "batches": 1,
                    "files": [
                      {
                        "batch_id": "batch_01KDVDNA009HYYTPE5DQ47PQYN",
                        "content_hash": "2e9387b71f18feffd330343534ab0e0f0a0e99163150404750c0830424549db8",
                        "path": "/tmp/junit-16930047395199627400/repo/data/transactions.csv"
                      }
                    ],
                    "kafka": [],
                    "matched_rows": 825,
                    "version": 1,
                    "view": "customer_stats"
                  }
                ]
              },
              "name": "churn",
              "profile": {
                "churned": {
                  "approx_unique": 2.0,
                  "avg": null,
                  "column_type": "VARCHAR",
                  "count": 1000.0,
                  "max": "true",
                  "min": "false",
                  "null_percentage": 0.0,
                  "q25": null,
                  "q50": null,
                  "q75": null,
                  "std": null
                },
                "customer_id": {
                  "approx_unique": 263.0,
                  "avg": null,
                  "column_type": "VARCHAR",
                  "count": 1000.0,
                  "max": "99",
                  "min": "0",
                  "null_percentage": 0.0,
                  "q25": null,
                  "q50": null,
                  "q75": null,
                  "std": null
                },
                "customer_stats__plan": {
                  "approx_unique": 2.0,
                  "avg": null,
                  "column_type": "VARCHAR",
                  "count": 1000.0,
                  "max": "pro",
                  "min": "basic",
                  "null_percentage": 17.5,
                  "q25": null,
                  "q50": null,
                  "q75": null,
                  "std": null
                },
                "customer_stats__spend": {
                  "approx_unique": 477.0,
                  "avg": "51.62200000000002",
                  "column_type": "DOUBLE",
                  "count": 1000.0,
                  "max": "99.47",
                  "min": "0.17",
                  "null_percentage": 17.5,
                  "q25": "26.11636363636364",
                  "q50": "52.87888888888889",
                  "q75": "76.41285714285715",
                  "std": "28.85572512644269"
                },
                "event_timestamp": {
                  "approx_unique": 1076.0,
                  "avg": null,
                  "column_type": "VARCHAR",
                  "count": 1000.0,
                  "max": "2026-01-30T23:38:00Z",
                  "min": "2026-01-01T00:02:00Z",
                  "null_percentage": 0.0,
                  "q25": null,
                  "q50": null,
                  "q75": null,
                  "std": null
                }
              },
              "schema": [
                {
                  "name": "customer_id",
                  "type": "VARCHAR"
                },
                {
                  "name": "event_timestamp",
                  "type": "VARCHAR"
                },
                {
                  "name": "churned",
                  "type": "VARCHAR"
                },
                {
                  "name": "customer_stats__spend",
                  "type": "DOUBLE"
                },
                {
                  "name": "customer_stats__plan",
                  "type": "VARCHAR"
                }
              ],
              "splits": {
                "bucket": "first 32 bits of SHA-256(salt, 0x1f, key values joined by 0x1f) / 2^32",
                "columns": [
                  "customer_id"
                ],
                "fractions": {
                  "test": 0.2,
                  "train": 0.6,
                  "validation": 0.2
                },
                "method": "key",
                "parts": {
                  "test": {
                    "bytes": 3381,
                    "rows": 222,
                    "sha256": "024a8a7032ae30f002ec3d42dbd73689f4717f84754a89521668844926f23c09"
                  },
                  "train": {
                    "bytes": 6657,
                    "rows": 568,
                    "sha256": "1592135c6a55057f7a881f2785545060b799bfd96e9c063d1590da11b24f5d1c"
                  },
                  "validation": {
                    "bytes": 3269,
                    "rows": 210,
                    "sha256": "86e62994c90b037f6745fe0e8934122d751a307dba7ba729720b44e8a8dfeb4e"
                  }
                },
                "salt": "churn"
              }
            }
            """;

    /** {@code pay:1}: stream micro-batches, recorded as Kafka offset spans; no label, no splits. */
    private static final String KAFKA = """
            {
              "created": "2026-11-27T12:00:00Z",
              "creator": "alice",
              "data": {
                "bytes": 7648,
                "format": "parquet",
                "rows": 1000,
                "sha256": "e4e572bdf51487a2e86c5092df1b2fcbf2d87f087cf71f3905300a9a0811edcc"
              },
              "engine": "duckdb v1.5.6",
              "fingerprint": "fd9ab682a31e32f7f164545d7fc7c702138fd4a22047e066c35dd11492b9431c",
              "format": 1,
              "key": [
                "customer_id",
                "event_timestamp"
              ],
              "lineage": {
                "batches_object": "280639cb721294dd0d23bada91479293e3a0c92798bb1d9cbe0bd7d6163351ac",
                "entities": {
                  "bytes": 30177,
                  "path": "/tmp/junit-12572625307558611403/entities.csv",
                  "rows": 1000,
                  "sha256": "e7b6ce2b87e86e2fcffad588740b712eadb5de2109646f01fb5483b4d7c08303"
                },
                "feature_refs": [
                  "payments:amount"
                ],
                "features": [
                  "payments:amount"
                ],
                "kind": "retrieval",
                "options": {
                  "filter_by_created_timestamp": false,
                  "label": null
                },
                "views": [
                  {
                    "batches": 2,
                    "files": [],
                    "kafka": [
                      {
                        "batches": 1,
                        "first_offset": 1000,
                        "last_offset": 1049,
                        "partition": 0,
                        "topic": "pay"
                      },
                      {
                        "batches": 1,
                        "first_offset": 1000,
                        "last_offset": 1049,
                        "partition": 1,
                        "topic": "pay"
                      }
                    ],
                    "matched_rows": 160,
                    "version": 1,
                    "view": "payments"
                  }
                ]
              },
              "name": "pay",
              "profile": {
                "churned": {
                  "approx_unique": 2.0,
                  "avg": null,
                  "column_type": "VARCHAR",
                  "count": 1000.0,
                  "max": "true",
                  "min": "false",
                  "null_percentage": 0.0,
                  "q25": null,
                  "q50": null,
                  "q75": null,
                  "std": null
                },
                "customer_id": {
                  "approx_unique": 263.0,
                  "avg": null,
                  "column_type": "VARCHAR",
                  "count": 1000.0,
                  "max": "99",
                  "min": "0",
                  "null_percentage": 0.0,
                  "q25": null,
                  "q50": null,
                  "q75": null,
                  "std": null
                },
                "event_timestamp": {
                  "approx_unique": 1076.0,
                  "avg": null,
                  "column_type": "VARCHAR",
                  "count": 1000.0,
                  "max": "2026-01-30T23:38:00Z",
                  "min": "2026-01-01T00:02:00Z",
                  "null_percentage": 0.0,
                  "q25": null,
                  "q50": null,
                  "q75": null,
                  "std": null
                },
                "payments__amount": {
                  "approx_unique": 51.0,
                  "avg": "22.70625",
                  "column_type": "DOUBLE",
                  "count": 1000.0,
                  "max": "49.0",
                  "min": "0.0",
                  "null_percentage": 84.0,
                  "q25": "10.0",
                  "q50": "19.5",
                  "q75": "36.0",
                  "std": "15.358441382448715"
                }
              },
              "schema": [
                {
                  "name": "customer_id",
                  "type": "VARCHAR"
                },
                {
                  "name": "event_timestamp",
                  "type": "VARCHAR"
                },
                {
                  "name": "churned",
                  "type": "VARCHAR"
                },
                {
                  "name": "payments__amount",
                  "type": "DOUBLE"
                }
              ]
            }
            """;

    /** {@code churn:1} of a time split. */
    private static final String TIME_SPLIT = """
            {
              "created": "2026-11-27T12:00:00Z",
              "creator": "alice",
              "data": {
                "bytes": 10562,
                "format": "parquet",
                "rows": 1000,
                "sha256": "e772a008bca7528d41026c0fd4ee5b4c4978e1ff2a5974764363f5f5d83c8546"
              },
              "engine": "duckdb v1.5.6",
              "fingerprint": "888f6fcf6d6010c0c837cd717f677464e41267cc97be9f89c238bc37c8b16188",
              "format": 1,
              "key": [
                "customer_id",
                "event_timestamp"
              ],
              "label": "churned",
              "lineage": {
                "batches_object": "15c68f38c35b07eafba7995a736ba86f98864b601f5b7b0a6142288094154493",
                "entities": {
                  "bytes": 30177,
                  "path": "/tmp/junit-1658638985576166521/entities.csv",
                  "rows": 1000,
                  "sha256": "e7b6ce2b87e86e2fcffad588740b712eadb5de2109646f01fb5483b4d7c08303"
                },
                "feature_refs": [
                  "customer_stats:spend",
                  "customer_stats:plan"
                ],
                "feature_service": {
                  "name": "churn_v1",
                  "version": 1
                },
                "features": [
                  "churn_v1"
                ],
                "kind": "retrieval",
                "options": {
                  "filter_by_created_timestamp": false,
                  "label": "churned"
                },
                "views": [
                  {
                    "batches": 1,
                    "files": [
                      {
                        "batch_id": "batch_01KDVDNA006DXN1WBB15CH6GH4",
                        "content_hash": "2e9387b71f18feffd330343534ab0e0f0a0e99163150404750c0830424549db8",
                        "path": "/tmp/junit-1658638985576166521/repo/data/transactions.csv"
                      }
                    ],
                    "kafka": [],
                    "matched_rows": 825,
                    "version": 1,
                    "view": "customer_stats"
                  }
                ]
              },
              "name": "churn",
              "profile": {
                "churned": {
                  "approx_unique": 2.0,
                  "avg": null,
                  "column_type": "VARCHAR",
                  "count": 1000.0,
                  "max": "true",
                  "min": "false",
                  "null_percentage": 0.0,
                  "q25": null,
                  "q50": null,
                  "q75": null,
                  "std": null
                },
                "customer_id": {
                  "approx_unique": 263.0,
                  "avg": null,
                  "column_type": "VARCHAR",
                  "count": 1000.0,
                  "max": "99",
                  "min": "0",
                  "null_percentage": 0.0,
                  "q25": null,
                  "q50": null,
                  "q75": null,
                  "std": null
                },
                "customer_stats__plan": {
                  "approx_unique": 2.0,
                  "avg": null,
                  "column_type": "VARCHAR",
                  "count": 1000.0,
                  "max": "pro",
                  "min": "basic",
                  "null_percentage": 17.5,
                  "q25": null,
                  "q50": null,
                  "q75": null,
                  "std": null
                },
                "customer_stats__spend": {
                  "approx_unique": 477.0,
                  "avg": "51.62200000000002",
                  "column_type": "DOUBLE",
                  "count": 1000.0,
                  "max": "99.47",
                  "min": "0.17",
                  "null_percentage": 17.5,
                  "q25": "26.11636363636364",
                  "q50": "52.87888888888889",
                  "q75": "76.41285714285715",
                  "std": "28.85572512644269"
                },
                "event_timestamp": {
                  "approx_unique": 1076.0,
                  "avg": null,
                  "column_type": "VARCHAR",
                  "count": 1000.0,
                  "max": "2026-01-30T23:38:00Z",
                  "min": "2026-01-01T00:02:00Z",
                  "null_percentage": 0.0,
                  "q25": null,
                  "q50": null,
                  "q75": null,
                  "std": null
                }
              },
              "schema": [
                {
                  "name": "customer_id",
                  "type": "VARCHAR"
                },
                {
                  "name": "event_timestamp",
                  "type": "VARCHAR"
                },
                {
                  "name": "churned",
                  "type": "VARCHAR"
                },
                {
                  "name": "customer_stats__spend",
                  "type": "DOUBLE"
                },
                {
                  "name": "customer_stats__plan",
                  "type": "VARCHAR"
                }
              ],
              "splits": {
                "columns": [
                  "event_timestamp"
                ],
                "fractions": {
                  "test": 0.1,
                  "train": 0.8,
                  "validation": 0.1
                },
                "method": "time",
                "parts": {
                  "test": {
                    "bytes": 2236,
                    "rows": 101,
                    "sha256": "1e2714134fd2b36d9e83b562afdf457ce134474602edead0237dcd6b15ea3675"
                  },
                  "train": {
                    "bytes": 8592,
                    "rows": 799,
                    "sha256": "a2205a5a713efbc130a8f3c000e34c6c03ba141a1fbf3cdb332db99281fb6ed9"
                  },
                  "validation": {
                    "bytes": 2223,
                    "rows": 100,
                    "sha256": "1150eb9f08e2a166826fd2ee325dd6da98c116d748c37f4d76e83dd52e3e842c"
                  }
                },
                "test_from": "2026-01-27T21:08:00Z",
                "test_from_micros": 1769548080000000,
                "train_before": "2026-01-24T15:06:00Z",
                "train_before_micros": 1769267160000000
              }
            }
            """;

    /** {@code churn_copy:1}: an imported Parquet file, no key, no label, a key split. */
    private static final String IMPORT = """
            {
              "created": "2026-11-27T12:00:00Z",
              "creator": "bob",
              "data": {
                "bytes": 10562,
                "format": "parquet",
                "rows": 1000,
                "sha256": "e772a008bca7528d41026c0fd4ee5b4c4978e1ff2a5974764363f5f5d83c8546"
              },
              "engine": "duckdb v1.5.6",
              "fingerprint": "0a3943e280c388e3a713a31c80d25d1a7130617d1b196f560a486d97ca07ee94",
              "format": 1,
              "key": [],
              "lineage": {
                "file": {
                  "bytes": 10562,
                  "path": "/tmp/junit-16930047395199627400/other.parquet",
                  "sha256": "e772a008bca7528d41026c0fd4ee5b4c4978e1ff2a5974764363f5f5d83c8546"
                },
                "kind": "import",
                "options": {
                  "label": null
                }
              },
              "name": "churn_copy",
              "profile": {
                "churned": {
                  "approx_unique": 2.0,
                  "avg": null,
                  "column_type": "VARCHAR",
                  "count": 1000.0,
                  "max": "true",
                  "min": "false",
                  "null_percentage": 0.0,
                  "q25": null,
                  "q50": null,
                  "q75": null,
                  "std": null
                },
                "customer_id": {
                  "approx_unique": 263.0,
                  "avg": null,
                  "column_type": "VARCHAR",
                  "count": 1000.0,
                  "max": "99",
                  "min": "0",
                  "null_percentage": 0.0,
                  "q25": null,
                  "q50": null,
                  "q75": null,
                  "std": null
                },
                "customer_stats__plan": {
                  "approx_unique": 2.0,
                  "avg": null,
                  "column_type": "VARCHAR",
                  "count": 1000.0,
                  "max": "pro",
                  "min": "basic",
                  "null_percentage": 17.5,
                  "q25": null,
                  "q50": null,
                  "q75": null,
                  "std": null
                },
                "customer_stats__spend": {
                  "approx_unique": 477.0,
                  "avg": "51.62200000000002",
                  "column_type": "DOUBLE",
                  "count": 1000.0,
                  "max": "99.47",
                  "min": "0.17",
                  "null_percentage": 17.5,
                  "q25": "26.11636363636364",
                  "q50": "52.87888888888889",
                  "q75": "76.41285714285715",
                  "std": "28.85572512644269"
                },
                "event_timestamp": {
                  "approx_unique": 1076.0,
                  "avg": null,
                  "column_type": "VARCHAR",
                  "count": 1000.0,
                  "max": "2026-01-30T23:38:00Z",
                  "min": "2026-01-01T00:02:00Z",
                  "null_percentage": 0.0,
                  "q25": null,
                  "q50": null,
                  "q75": null,
                  "std": null
                }
              },
              "schema": [
                {
                  "name": "customer_id",
                  "type": "VARCHAR"
                },
                {
                  "name": "event_timestamp",
                  "type": "VARCHAR"
                },
                {
                  "name": "churned",
                  "type": "VARCHAR"
                },
                {
                  "name": "customer_stats__spend",
                  "type": "DOUBLE"
                },
                {
                  "name": "customer_stats__plan",
                  "type": "VARCHAR"
                }
              ],
              "splits": {
                "bucket": "first 32 bits of SHA-256(salt, 0x1f, key values joined by 0x1f) / 2^32",
                "columns": [
                  "customer_id"
                ],
                "fractions": {
                  "test": 0.2,
                  "train": 0.6,
                  "validation": 0.2
                },
                "method": "key",
                "parts": {
                  "test": {
                    "bytes": 3092,
                    "rows": 194,
                    "sha256": "c1dbeea0e54af48b7630e5c817ec927aa80b34a46bece4bf865be498a6a94ec8"
                  },
                  "train": {
                    "bytes": 6652,
                    "rows": 569,
                    "sha256": "3a508dbc917eb421145068c8d597e56224be7a8ae416f51db3f3c7ecace2aa9b"
                  },
                  "validation": {
                    "bytes": 3520,
                    "rows": 237,
                    "sha256": "eaae144d8e3488346634bba643639176af7e084ea521c783ad655f613b7029ac"
                  }
                },
                "salt": "churn_copy"
              }
            }
            """;

    @ParameterizedTest
    @ValueSource(strings = {RETRIEVAL, KAFKA, TIME_SPLIT, IMPORT})
    void aRecordedManifestReadsAndWritesBackToTheSameCanonicalJson(String recorded) {
        JsonNode stored = Json.parse(recorded);

        DatasetManifest manifest = DatasetManifest.CODEC.decode(stored);

        assertThat(Json.canonical(DatasetManifest.CODEC.encode(manifest))).isEqualTo(Json.canonical(stored));
        assertThat(manifest.toJson()).isEqualTo(stored);
    }

    @ParameterizedTest
    @ValueSource(strings = {RETRIEVAL, KAFKA, TIME_SPLIT, IMPORT})
    void theFingerprintOfARecordedManifestIsTheOneRecorded(String recorded) {
        DatasetManifest manifest = DatasetManifest.CODEC.decode(Json.parse(recorded));

        // the catalog sorted the keys; the fingerprint hashes the order the manifest was built in
        assertThat(manifest.identity()).isEqualTo(Json.parse(recorded).get("fingerprint").asText());
    }

    @Test
    void theFieldsAreTyped() {
        DatasetManifest manifest = DatasetManifest.CODEC.decode(Json.parse(RETRIEVAL));

        assertThat(manifest.name()).isEqualTo("churn");
        assertThat(manifest.data().rows()).isEqualTo(1000);
        assertThat(manifest.data().sha256()).isEqualTo(Json.parse(RETRIEVAL).get("data").get("sha256").asText());
        assertThat(manifest.schema()).extracting(DatasetManifest.Column::type)
                .containsExactly("VARCHAR", "VARCHAR", "VARCHAR", "DOUBLE", "VARCHAR");
        assertThat(manifest.key()).containsExactly("customer_id", "event_timestamp");
        assertThat(manifest.label()).contains("churned");
        assertThat(manifest.created()).contains(Instant.parse("2026-11-27T12:00:00Z"));
        DatasetManifest.Splits splits = manifest.splits().orElseThrow();
        assertThat(splits.spec()).isEqualTo(new SplitSpec(SplitSpec.Method.KEY, List.of("customer_id"), 0.6, 0.2, 0.2));
        assertThat(splits.rule()).isInstanceOfSatisfying(DatasetManifest.Splits.KeyRule.class,
                rule -> assertThat(rule.salt()).isEqualTo("churn"));
        assertThat(splits.parts().keySet()).as("in the order they are made").containsExactly("train", "validation", "test");
        DatasetLineage.Retrieval lineage = (DatasetLineage.Retrieval) manifest.lineage();
        assertThat(lineage.featureService()).contains(new ServiceVersion("churn_v1", 1));
        assertThat(lineage.views().get(0).files()).hasSize(1);
        assertThat(manifest.objects()).hasSize(6).contains(lineage.entities().sha256(), lineage.batchesObject().orElseThrow());

        DatasetLineage.Retrieval stream = (DatasetLineage.Retrieval) DatasetManifest.CODEC.decode(Json.parse(KAFKA)).lineage();
        assertThat(stream.label()).isEmpty();
        assertThat(stream.views().get(0).kafka()).extracting(DatasetLineage.OffsetSpan::partition).containsExactly(0, 1);
        assertThat(DatasetManifest.CODEC.decode(Json.parse(TIME_SPLIT)).splits().orElseThrow().rule())
                .isInstanceOf(DatasetManifest.Splits.TimeRule.class);
        assertThat(DatasetManifest.CODEC.decode(Json.parse(IMPORT)).lineage()).isInstanceOf(DatasetLineage.Import.class);
    }

    @Test
    void aNewerFormatIsRefusedNotMisread() {
        ObjectNode future = (ObjectNode) Json.parse(RETRIEVAL);
        future.put("format", 99);

        assertThatThrownBy(() -> DatasetManifest.CODEC.decode(future)).isInstanceOfSatisfying(SeerException.class,
                e -> assertThat(e.errorCode()).isEqualTo(CoreErrorCode.UNSUPPORTED_FORMAT))
                .hasMessageContaining("dataset manifest formats 1 to 1, not [99]");
    }

    @Test
    void aMistypedFieldIsRefusedByName() {
        ObjectNode rows = (ObjectNode) Json.parse(RETRIEVAL);
        ((ObjectNode) rows.get("data")).put("rows", "many");
        ObjectNode offset = (ObjectNode) Json.parse(KAFKA);
        ((ObjectNode) offset.get("lineage").get("views").get(0).get("kafka").get(1)).put("first_offset", 1.5);
        ObjectNode kind = (ObjectNode) Json.parse(IMPORT);
        ((ObjectNode) kind.get("lineage")).put("kind", "upload");

        assertThatThrownBy(() -> DatasetManifest.CODEC.decode(rows))
                .hasMessage("Field [rows] of a data file of a dataset manifest must be a whole number, not [\"many\"]");
        assertThatThrownBy(() -> DatasetManifest.CODEC.decode(offset)).hasMessageContaining("Field [first_offset] of a"
                + " Kafka span of the lineage of a dataset manifest must be a whole number, not [1.5]");
        assertThatThrownBy(() -> DatasetManifest.CODEC.decode(kind)).hasMessageContaining("Field [kind] of a lineage of a"
                + " dataset manifest must be retrieval or import, not [\"upload\"]");
    }

    @Test
    void aManifestWithoutFormatIsReadAsTheFirst() {
        ObjectNode old = (ObjectNode) Json.parse(IMPORT);
        old.remove("format");

        assertThat(DatasetManifest.CODEC.decode(old).name()).isEqualTo("churn_copy");
        assertThat(DatasetManifest.CODEC.encode(DatasetManifest.CODEC.decode(old)).get("format").asInt()).isEqualTo(1);
    }
}
