package dev.seer.features.online;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.provenance.Codec;
import dev.seer.core.provenance.Fields;
import java.time.Instant;
import java.util.List;

/**
 * A view's materialisation watermark (catalog kind {@code materialization}): the end of its last
 * run and the batches whose files it read, so an incremental run reads only what came after.
 */
record MaterializedUpTo(Instant end, List<String> batches) {
    static final Codec<MaterializedUpTo> CODEC = new MaterializedUpToCodec();

    MaterializedUpTo {
        requireNonNull(end, "end is null");
        batches = List.copyOf(batches);
    }
}

/** Format 1 is the form watermarks had before formats were versioned: {@code end} and {@code batches}. */
final class MaterializedUpToCodec implements Codec<MaterializedUpTo> {
    @Override
    public String kind() {
        return "materialization watermark";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public ObjectNode encode(MaterializedUpTo value) {
        ObjectNode json = Json.object().put(FORMAT, version()).put("end", value.end().toString());
        value.batches().forEach(json.putArray("batches")::add);
        return json;
    }

    @Override
    public MaterializedUpTo decode(JsonNode json) {
        checkVersion(json);
        Fields f = new Fields(json, kind());
        return new MaterializedUpTo(f.instant("end"), f.texts("batches"));
    }
}
