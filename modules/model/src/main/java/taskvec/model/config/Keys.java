package taskvec.model.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import taskvec.model.ModelLoadException;

import java.nio.file.Path;

/** Typed access to one JSON object of config.json, with errors that name the file and the key path. */
record Keys(Path file, String prefix, JsonNode node) {

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

    int integer(String key, int fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode v = node.get(key);
        if (!v.isIntegralNumber()) {
            throw error(key, "must be an integer, got " + v);
        }
        return v.asInt();
    }

    double number(String key, double fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode v = node.get(key);
        if (!v.isNumber()) {
            throw error(key, "must be a number, got " + v);
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
