package dev.kiln.core.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class SuggestTest {
    @Test
    void distanceCountsASwapAsOneEdit() {
        assertEquals(0, Suggest.distance("march", "march"));
        assertEquals(1, Suggest.distance("marhc", "march"));
        assertEquals(1, Suggest.distance("model_parameter", "model_parameters"));
        assertEquals(2, Suggest.distance("abc", "a"));
    }

    @Test
    void closestIgnoresCaseAndRefusesFarOrTiedGuesses() {
        List<String> keys = List.of("march", "onnx_model", "node_info");
        assertEquals("march", Suggest.closest("MARCH", keys));
        assertEquals("node_info", Suggest.closest("nodeinfo", keys));
        assertNull(Suggest.closest("layer_dump", keys));
        assertNull(Suggest.closest("O4", List.of("O0", "O1", "O2", "O3")));
    }
}
