package dev.seer.serving.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.serving.ServingErrorCode;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeploymentTest {
    static Deployment split(String name, int percent) {
        return new Deployment(name, new ModelRef("m", 1), Optional.of(new ModelRef("m", 2)), percent, Optional.empty(),
                MissingPolicy.REFUSE, MissingPolicy.REFUSE, 1, Instant.EPOCH, "t");
    }

    @Test
    void theCodecRoundTripsEveryField() {
        Deployment d = new Deployment("churn-eu", new ModelRef("churn", 3), Optional.empty(), 0,
                Optional.of(new ModelRef("churn.next", 4)), MissingPolicy.MODEL_DEFAULT, MissingPolicy.REFUSE, 7,
                Instant.parse("2026-12-04T10:00:00Z"), "alice");
        assertThat(Deployment.CODEC.decode(Deployment.CODEC.encode(d))).isEqualTo(d);
        Deployment s = split("churn", 10);
        assertThat(Deployment.CODEC.decode(Deployment.CODEC.encode(s))).isEqualTo(s);
    }

    @Test
    void aStreamBindingRoundTripsAndAFormatOneDeploymentReadsAsUnbound() {
        Deployment bound = new Deployment("churn", new ModelRef("churn", 3), Optional.empty(), 0, Optional.empty(),
                MissingPolicy.REFUSE, MissingPolicy.REFUSE, 2, Instant.parse("2026-12-04T10:00:00Z"), "alice",
                Optional.of(new StreamBinding("churn.requests", "churn.scores")));
        var json = Deployment.CODEC.encode(bound);
        assertThat(json.path("format").asInt()).isEqualTo(2);
        assertThat(json.path("stream").path("input_topic").asText()).isEqualTo("churn.requests");
        assertThat(Deployment.CODEC.decode(json)).isEqualTo(bound);
        // as format 1 stored it, before bindings existed (pinned)
        Deployment old = Deployment.CODEC.decode(Json.parse("{\"format\":1,\"name\":\"churn\",\"champion\":\"churn:3\","
                + "\"missing\":\"refuse\",\"when_store_down\":\"model_default\",\"revision\":4,"
                + "\"changed_at\":\"2026-12-04T10:00:00Z\",\"changed_by\":\"alice\"}"));
        assertThat(old.stream()).isEmpty();
        assertThat(old.whenStoreDown()).isEqualTo(MissingPolicy.MODEL_DEFAULT);
        assertThatThrownBy(() -> Deployment.CODEC.decode(Json.parse("{\"format\":3,\"name\":\"x\"}")))
                .hasMessageContaining("formats 1 to 2");
    }

    @Test
    void topicNamesAreCheckedAsKafkaChecksThem() {
        assertThat(StreamBinding.checkTopic("scores-in.v_2", "input_topic")).isEqualTo("scores-in.v_2");
        assertThat(StreamBinding.checkTopic("x".repeat(249), "input_topic")).hasSize(249);
        for (String bad : new String[] {"", ".", "..", "a b", "a/b", "a\\b", "in%2Fout", "\u00fc", "a\nb", "x".repeat(250),
                "../etc", "__consumer_offsets", "__transaction_state"}) {
            assertThatThrownBy(() -> StreamBinding.checkTopic(bad, "input_topic")).as(bad).isInstanceOf(SeerException.class)
                    .hasMessageContaining("[input_topic]")
                    .extracting(e -> ((SeerException) e).errorCode()).isEqualTo(ServingErrorCode.INVALID_DEPLOYMENT);
        }
        assertThatThrownBy(() -> StreamBinding.checkTopic(null, "output_topic")).hasMessageContaining("[output_topic]");
        assertThatThrownBy(() -> new StreamBinding("scores", "scores")).hasMessageContaining("cannot be the [input_topic]");
        assertThatThrownBy(() -> new StreamBinding("seer.dead-letters", "scores")).isInstanceOf(SeerException.class)
                .hasMessageContaining("[input_topic] names [seer.dead-letters], in Seer's own namespace");
        assertThatThrownBy(() -> new StreamBinding("requests", "seer.predictions"))
                .hasMessageContaining("[output_topic] names [seer.predictions]");
    }

    @Test
    void contradictoryDeploymentsAreRefusedNamingTheField() {
        assertThatThrownBy(() -> split("churn", 0)).hasMessageContaining("1 to 99");
        assertThatThrownBy(() -> split("churn", 100)).hasMessageContaining("1 to 99");
        assertThatThrownBy(() -> new Deployment("churn", new ModelRef("m", 1), Optional.of(new ModelRef("m", 2)), 10,
                Optional.of(new ModelRef("m", 3)), MissingPolicy.REFUSE, MissingPolicy.REFUSE, 1, Instant.EPOCH, "t"))
                .hasMessageContaining("challenger or a shadow");
        assertThatThrownBy(() -> new Deployment("churn", new ModelRef("m", 1), Optional.of(new ModelRef("m", 1)), 10,
                Optional.empty(), MissingPolicy.REFUSE, MissingPolicy.REFUSE, 1, Instant.EPOCH, "t"))
                .hasMessageContaining("its own challenger");
        assertThatThrownBy(() -> ModelRef.parse("churn", "challenger")).isInstanceOf(SeerException.class)
                .hasMessageContaining("[challenger] must be NAME:VERSION");
        assertThatThrownBy(() -> ModelRef.parse("churn:1/../2", "shadow")).extracting(e -> ((SeerException) e).errorCode())
                .isEqualTo(ServingErrorCode.INVALID_DEPLOYMENT);
        assertThatThrownBy(() -> ModelRef.parse("../x:2", "shadow")).extracting(e -> ((SeerException) e).errorCode())
                .isEqualTo(ServingErrorCode.INVALID_DEPLOYMENT);
        assertThat(ModelRef.parse("churn.v2:12", "model")).isEqualTo(new ModelRef("churn.v2", 12));
    }

    @Test
    void anEntityStaysInItsArmAndTheSplitIsNearTheDeclaredShare() {
        Deployment d = split("churn", 10);
        Map<String, Arm> first = new HashMap<>();
        int challengers = 0;
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            Arm arm = ArmAssignment.assign(d, "customer-" + i);
            first.put("customer-" + i, arm);
            challengers += arm == Arm.CHALLENGER ? 1 : 0;
        }
        // binomial(100000, 0.1): sd ≈ 95, so ±600 is more than six sd
        assertThat(challengers).isBetween(10_000 - 600, 10_000 + 600);
        for (int i = 0; i < n; i += 7) {
            assertThat(ArmAssignment.assign(d, "customer-" + i)).isEqualTo(first.get("customer-" + i));
        }
        // raising the split only moves entities from the champion to the challenger
        Deployment wider = split("churn", 30);
        for (int i = 0; i < n; i += 3) {
            if (first.get("customer-" + i) == Arm.CHALLENGER) {
                assertThat(ArmAssignment.assign(wider, "customer-" + i)).isEqualTo(Arm.CHALLENGER);
            }
        }
    }

    @Test
    void twoDeploymentsSplitTheSameEntitiesIndependently() {
        int both = 0;
        int n = 50_000;
        for (int i = 0; i < n; i++) {
            boolean a = ArmAssignment.assign(split("alpha", 50), "k" + i) == Arm.CHALLENGER;
            boolean b = ArmAssignment.assign(split("beta", 50), "k" + i) == Arm.CHALLENGER;
            both += a && b ? 1 : 0;
        }
        assertThat(both).isBetween(n / 4 - 700, n / 4 + 700);
    }

    @Test
    void theBucketOfAKeyNeverChanges() {
        // pinned: a change to the hash would move customers between arms on upgrade
        assertThat(ArmAssignment.bucket("churn", "customer-1")).isEqualTo(ArmAssignment.bucket("churn", "customer-1"));
        assertThat(ArmAssignment.bucket("ab", "c")).isNotEqualTo(ArmAssignment.bucket("a", "bc"));
    }
}
