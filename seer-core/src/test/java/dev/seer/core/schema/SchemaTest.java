package dev.seer.core.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaTest {
    private static final Schema ORDERS = Schema.of(new Column("customer_id", ColumnType.STRING, false),
            new Column("event_timestamp", ColumnType.TIMESTAMP, false), new Column("spend", ColumnType.FLOAT64, true));

    @Test
    void keepsOrderAndFindsColumnsByName() {
        assertThat(ORDERS.names()).containsExactly("customer_id", "event_timestamp", "spend");
        assertThat(ORDERS.column("spend").type()).isEqualTo(ColumnType.FLOAT64);
        assertThat(ORDERS.find("age")).isEmpty();
    }

    @Test
    void refusesADuplicateNamingIt() {
        assertThatThrownBy(() -> Schema.of(new Column("a", ColumnType.INT64, true), new Column("a", ColumnType.STRING, true)))
                .isInstanceOfSatisfying(SeerException.class, e -> assertThat(e.errorCode()).isEqualTo(CoreErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("[a]");
        assertThatThrownBy(() -> ORDERS.plus(Schema.of(new Column("spend", ColumnType.INT64, true))))
                .hasMessageContaining("[spend]");
    }

    @Test
    void refusesAnUnknownColumnNamingIt() {
        assertThatThrownBy(() -> ORDERS.column("age")).isInstanceOfSatisfying(SeerException.class,
                e -> assertThat(e.errorCode()).isEqualTo(CoreErrorCode.NOT_FOUND))
                .hasMessageContaining("[age]").hasMessageContaining("customer_id");
    }

    @Test
    void refusesABlankName() {
        assertThatThrownBy(() -> new Column(" ", ColumnType.STRING, true)).isInstanceOf(SeerException.class);
    }

    @Test
    void roundTripsThroughItsCodec() {
        ObjectNode json = Schema.CODEC.encode(ORDERS);

        assertThat(json.get("format").asInt()).isEqualTo(1);
        assertThat(Schema.CODEC.decode(json)).isEqualTo(ORDERS);
        assertThat(Schema.CODEC.decode(Schema.CODEC.encode(Schema.empty()))).isEqualTo(Schema.empty());
    }

    @Test
    void readsALiteralFormAndDefaultsNullable() {
        Schema schema = Schema.CODEC.decode(Json.parse("""
                {"format": 1, "columns": [{"name": "n", "type": "int32"}, {"name": "t", "type": "timestamp", "nullable": false}]}
                """));

        assertThat(schema.columns()).containsExactly(new Column("n", ColumnType.INT32, true),
                new Column("t", ColumnType.TIMESTAMP, false));
    }

    @Test
    void refusesANewerFormatAndAnUnknownType() {
        assertThatThrownBy(() -> Schema.CODEC.decode(Json.parse("{\"format\": 2, \"columns\": []}")))
                .isInstanceOfSatisfying(SeerException.class, e -> assertThat(e.errorCode()).isEqualTo(CoreErrorCode.UNSUPPORTED_FORMAT));
        assertThatThrownBy(() -> Schema.CODEC.decode(Json.parse("{\"columns\": [{\"name\": \"x\", \"type\": \"decimal\"}]}")))
                .hasMessageContaining("[decimal]");
    }

    @Test
    void mapsDuckDbTypeNames() {
        assertThat(ColumnType.fromDuckDb("BIGINT")).contains(ColumnType.INT64);
        assertThat(ColumnType.fromDuckDb("TIMESTAMP WITH TIME ZONE")).contains(ColumnType.TIMESTAMP);
        assertThat(ColumnType.fromDuckDb("varchar")).contains(ColumnType.STRING);
        assertThat(ColumnType.fromDuckDb("DECIMAL(18,3)")).isEmpty();
        for (ColumnType type : ColumnType.values()) {
            assertThat(ColumnType.fromDuckDb(type.duckdbType())).contains(type);
            assertThat(ColumnType.of(type.id())).isEqualTo(type);
        }
    }

    @Test
    void isIterableInOrder() {
        assertThat(List.copyOf(ORDERS.columns())).extracting(Column::name).containsExactlyElementsOf(ORDERS.names());
        assertThat(ORDERS).hasSize(3);
    }
}
