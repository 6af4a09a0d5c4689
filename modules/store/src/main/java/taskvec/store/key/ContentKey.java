package taskvec.store.key;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The key of a stage or a work item: SHA-256 over the canonical JSON of its named parts
 * (everything that determines the output: settings, input hashes, model file hashes, code
 * version, seed). Canonical = object fields sorted by name at every depth, no whitespace, so the
 * same parts give the same key whatever order they were put in. Values keep their JSON type:
 * the integer 1 and the double 1.0 are different parts ("1" vs "1.0").
 *
 * @param hash  64 lowercase hex characters
 * @param parts the parts as a JSON object (stored beside the hash, shown by {@code explain})
 */
public record ContentKey(String hash, ObjectNode parts) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ContentKey {
        if (!hash.matches("[0-9a-f]{64}")) throw new IllegalArgumentException("key hash: not a SHA-256 hex: " + hash);
    }

    /** The key of the given parts (values: anything Jackson can turn into JSON). */
    public static ContentKey of(Map<String, ?> parts) {
        return of((ObjectNode) JSON.valueToTree(parts));
    }

    /** The key of a JSON object of parts (for example the stored key_parts column). */
    public static ContentKey of(ObjectNode parts) {
        ObjectNode canonical = (ObjectNode) canonical(parts);
        return new ContentKey(sha256(canonicalJson(canonical)), canonical);
    }

    /** Parses stored key parts (a JSON object) and recomputes the key. */
    public static ContentKey ofJson(String partsJson) {
        try {
            JsonNode node = JSON.readTree(partsJson);
            if (!(node instanceof ObjectNode o)) throw new IllegalArgumentException("key parts: not a JSON object: " + partsJson);
            return of(o);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("key parts: not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A key as stored: the hash as written when it was computed, with its parts (jsonb) for diffs. */
    public static ContentKey stored(String hash, String partsJson) {
        return new ContentKey(hash, ofJson(partsJson).parts());
    }

    /** Two keys are equal when their hashes are (JSON number node types may differ after a round trip). */
    @Override
    public boolean equals(Object o) {
        return o instanceof ContentKey k && k.hash.equals(hash);
    }

    @Override
    public int hashCode() {
        return hash.hashCode();
    }

    /** The canonical JSON text the hash is taken over. */
    public String canonicalJson() {
        return canonicalJson(parts);
    }

    /** The parts that differ from {@code before}, nested objects flattened to dotted names ("study.layers"). */
    public List<KeyPartChange> diff(ContentKey before) {
        Map<String, JsonNode> was = new TreeMap<>();
        Map<String, JsonNode> now = new TreeMap<>();
        flatten("", before.parts, was);
        flatten("", parts, now);
        TreeMap<String, Boolean> names = new TreeMap<>();
        was.keySet().forEach(n -> names.put(n, true));
        now.keySet().forEach(n -> names.put(n, true));
        List<KeyPartChange> changes = new ArrayList<>();
        for (String name : names.keySet()) {
            JsonNode a = was.get(name);
            JsonNode b = now.get(name);
            if (a == null || b == null || !a.equals(b)) changes.add(new KeyPartChange(name, a, b));
        }
        return changes;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, JsonNode> out) {
        if (node.isObject() && node.size() > 0) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else {
            out.put(prefix, node);
        }
    }

    private static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            node.fields().forEachRemaining(e -> sorted.put(e.getKey(), canonical(e.getValue())));
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            sorted.forEach(o::set);
            return o;
        }
        if (node.isArray()) {
            var a = JsonNodeFactory.instance.arrayNode();
            node.forEach(el -> a.add(canonical(el)));
            return a;
        }
        return node;
    }

    private static String canonicalJson(JsonNode canonical) {
        try {
            return JSON.writeValueAsString(canonical);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
