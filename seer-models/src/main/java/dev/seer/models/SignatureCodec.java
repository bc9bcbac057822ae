package dev.seer.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.provenance.Codec;
import dev.seer.core.provenance.Fields;
import dev.seer.core.schema.Column;
import dev.seer.core.schema.ColumnType;
import dev.seer.core.schema.Schema;
import java.util.ArrayList;
import java.util.List;

/**
 * Format 1: {@code {"format": 1, "inputs": [{"name": "age", "type": "float64"}], "output":
 * "class-probabilities", "classes": 3}}, {@code classes} only for class probabilities. Inputs carry
 * no nullability: every model input may be missing.
 */
final class SignatureCodec implements Codec<Signature> {
    @Override
    public String kind() {
        return "model signature";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public ObjectNode encode(Signature signature) {
        ObjectNode json = Json.object().put(FORMAT, version());
        ArrayNode inputs = json.putArray("inputs");
        signature.inputs().forEach(c -> inputs.addObject().put("name", c.name()).put("type", c.type().id()));
        json.put("output", signature.output().id());
        if (signature.output() == OutputKind.CLASS_PROBABILITIES) {
            json.put("classes", signature.classes());
        }
        return json;
    }

    @Override
    public Signature decode(JsonNode json) {
        checkVersion(json);
        Fields f = new Fields(json, kind());
        List<Column> inputs = new ArrayList<>();
        for (JsonNode node : f.array("inputs")) {
            Fields input = new Fields(node, "input of a " + kind());
            inputs.add(new Column(input.text("name"), ColumnType.of(input.text("type")), true));
        }
        OutputKind output = OutputKind.of(f.text("output"));
        int classes = output == OutputKind.CLASS_PROBABILITIES ? f.integer("classes") : 0;
        return new Signature(Schema.of(inputs), output, classes);
    }
}
