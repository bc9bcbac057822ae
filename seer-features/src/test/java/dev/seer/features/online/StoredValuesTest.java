package dev.seer.features.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StoredValuesTest {
    /** Random records of every JSON kind: the streaming read gives the nodes (type and value) the tree parse gives. */
    @Test
    void readsWhatTheTreeParserReads() {
        Random random = new Random(12);
        for (int round = 0; round < 2_000; round++) {
            ObjectNode record = Json.object();
            int fields = 1 + random.nextInt(12);
            for (int f = 0; f < fields; f++) {
                putRandom(record, "f" + random.nextInt(16), random);
            }
            String text = round % 2 == 0 ? Json.write(record) : Json.canonical(record);
            Map<String, Integer> slots = new HashMap<>();
            for (int f = 0; f < 16; f++) {
                if (random.nextBoolean()) {
                    slots.put("f" + f, slots.size());
                }
            }
            JsonNode tree = Json.parse(text);
            JsonNode[] read = StoredValues.read(text, slots);
            for (Map.Entry<String, Integer> slot : slots.entrySet()) {
                JsonNode expected = tree.get(slot.getKey());
                JsonNode actual = read[slot.getValue()];
                if (expected == null) {
                    assertNull(actual, text + " " + slot.getKey());
                } else {
                    assertEquals(expected, actual, text + " " + slot.getKey());
                    assertEquals(expected.getNodeType(), actual.getNodeType(), text);
                    assertEquals(expected.getClass(), actual.getClass(), text + " " + slot.getKey());
                }
            }
        }
    }

    @Test
    void theLastOfARepeatedFieldWinsAsInTheTree() {
        JsonNode[] read = StoredValues.read("{\"a\": 1, \"a\": 2.5}", Map.of("a", 0));
        assertEquals(Json.parse("{\"a\": 1, \"a\": 2.5}").get("a"), read[0]);
    }

    @Test
    void refusesWhatIsNotAnObject() {
        assertThrows(SeerException.class, () -> StoredValues.read("[1, 2]", Map.of("a", 0)));
        assertThrows(SeerException.class, () -> StoredValues.read("{\"a\": ", Map.of("a", 0)));
    }

    private static void putRandom(ObjectNode record, String name, Random random) {
        switch (random.nextInt(11)) {
            case 0 -> record.put(name, random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20));
            case 1 -> record.put(name, random.nextInt());
            case 2 -> record.put(name, random.nextLong());
            case 3 -> record.put(name, new BigInteger(80, random));
            case 4 -> record.put(name, "s" + random.nextInt() + (random.nextBoolean() ? "\u00e9\"\\" : ""));
            case 5 -> record.put(name, random.nextBoolean());
            case 6 -> record.putNull(name);
            case 7 -> record.putArray(name).add(random.nextDouble()).add("x").addNull();
            case 8 -> record.putObject(name).put("k", random.nextInt()).putArray("l").add(1.5);
            case 9 -> record.put(name, new BigDecimal("1e400"));
            default -> record.put(name, List.of(0.0, -0.0, Double.MIN_VALUE, Double.MAX_VALUE, 1e-300).get(random.nextInt(5)));
        }
    }
}
