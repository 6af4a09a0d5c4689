package taskvec.model.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import taskvec.model.ModelLoadException;

import java.nio.file.Path;
import java.util.Map;

/** Typed access to one JSON object of config.json, with errors that name the file and the key path. */
record Keys(Path file, String prefix, JsonNode node) {

    /**
     * Bounds on sizes no real checkpoint comes near (min..max), so a typo or a hostile config fails at the key instead
     * of as a tensor shape or an allocation later. Keys not listed must fit an int.
     */
    private static final Map<String, long[]> SANE = Map.ofEntries(
            Map.entry("vocab_size", new long[] {1, 1 << 24}),
            Map.entry("hidden_size", new long[] {1, 1 << 16}),
            Map.entry("intermediate_size", new long[] {1, 1 << 20}),
            Map.entry("num_hidden_layers", new long[] {1, 1024}),
            Map.entry("num_attention_heads", new long[] {1, 1024}),
            Map.entry("num_key_value_heads", new long[] {1, 1024}),
            Map.entry("head_dim", new long[] {1, 1 << 12}),
            Map.entry("max_position_embeddings", new long[] {1, 1 << 24}),
            Map.entry("sliding_window", new long[] {1, 1 << 24}),
            Map.entry("image_size", new long[] {1, 1 << 14}),
            Map.entry("patch_size", new long[] {1, 1 << 10}),
            Map.entry("num_channels", new long[] {1, 16}),
            Map.entry("image_token_index", new long[] {0, 1 << 24}),
            Map.entry("image_token_id", new long[] {0, 1 << 24}));

    Keys child(String key) {
        JsonNode c = node.path(key);
        if (c.isMissingNode() || c.isNull()) {
            return new Keys(file, prefix + key + ".", new ObjectMapper().createObjectNode());
        }
        if (!c.isObject()) {
            throw error(key, "must be an object");
        }
        return new Keys(file, prefix + key + ".", (ObjectNode) c);
    }

    boolean has(String key) {
        JsonNode v = node.path(key);
        return !v.isMissingNode() && !v.isNull();
    }

    JsonNode node(String key) {
        return node == null ? MissingNode.getInstance() : node.path(key);
    }

    String string(String key, String fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode v = node.get(key);
        if (!v.isTextual()) {
            throw error(key, "must be a string");
        }
        return v.asText();
    }

    /** Read as 64-bit and checked against {@link #SANE} (or the int range), so a huge value is named, never truncated. */
    int integer(String key, int fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode v = node.get(key);
        if (!v.isIntegralNumber()) {
            throw error(key, "must be an integer, got " + v);
        }
        long[] range = SANE.getOrDefault(key, new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE});
        if (!v.canConvertToLong() || v.asLong() < range[0] || v.asLong() > range[1]) {
            throw error(key, v + " is outside the sane range " + range[0] + ".." + range[1]);
        }
        return (int) v.asLong();
    }

    double number(String key, double fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode v = node.get(key);
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw error(key, "must be a finite number, got " + v);
        }
        return v.asDouble();
    }

    boolean bool(String key, boolean fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode v = node.get(key);
        if (!v.isBoolean()) {
            throw error(key, "must be true or false, got " + v);
        }
        return v.asBoolean();
    }

    ModelLoadException error(String key, String problem) {
        return new ModelLoadException(file + ": " + prefix + key + ": " + problem);
    }
}
