package dev.seer.core.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.provenance.Codec;
import dev.seer.core.provenance.Fields;
import java.util.ArrayList;
import java.util.List;

/** Format 1: {@code {"format": 1, "columns": [{"name": ..., "type": "int64", "nullable": true}]}}. */
final class SchemaCodec implements Codec<Schema> {
    @Override
    public String kind() {
        return "schema";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public ObjectNode encode(Schema schema) {
        ObjectNode json = Json.object().put(FORMAT, version());
        ArrayNode columns = json.putArray("columns");
        schema.forEach(c -> columns.addObject().put("name", c.name()).put("type", c.type().id()).put("nullable", c.nullable()));
        return json;
    }

    @Override
    public Schema decode(JsonNode json) {
        checkVersion(json);
        List<Column> columns = new ArrayList<>();
        for (JsonNode node : new Fields(json, kind()).array("columns")) {
            Fields column = new Fields(node, "column of a " + kind());
            columns.add(new Column(column.text("name"), ColumnType.of(column.text("type")), column.bool("nullable", true)));
        }
        return Schema.of(columns);
    }
}
