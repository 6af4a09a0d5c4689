package taskvec.model.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import taskvec.model.ModelLoadException;
import taskvec.model.PromptTokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The model folder's tokenizer.json through DJL's HuggingFaceTokenizer, truncation and padding off. Special
 * tokens: when tokenizer_config.json sets add_bos_token / add_eos_token, those decide (as the HF fast Llama
 * tokenizer does); otherwise tokenizer.json's post-processor does.
 */
public final class HfPromptTokenizer implements PromptTokenizer, AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;
    private final Map<String, Integer> vocab;
    private final Map<Integer, String> byId;
    private final boolean usePostProcessor;
    private final int bosId;   // -1: do not prepend
    private final int eosId;   // -1: do not append
    private final String imagePlaceholder;
    private final int unknownId;

    private HfPromptTokenizer(HuggingFaceTokenizer tokenizer, Map<String, Integer> vocab, boolean usePostProcessor,
                              int bosId, int eosId, String imagePlaceholder, int unknownId) {
        this.tokenizer = tokenizer;
        this.vocab = vocab;
        this.byId = new HashMap<>();
        vocab.forEach((k, v) -> byId.put(v, k));
        this.usePostProcessor = usePostProcessor;
        this.bosId = bosId;
        this.eosId = eosId;
        this.imagePlaceholder = imagePlaceholder;
        this.unknownId = unknownId;
    }

    /** @param imageTokenId the image token of a vision-language model, or -1 */
    public static HfPromptTokenizer load(Path modelDir, int imageTokenId) {
        Path file = modelDir.resolve("tokenizer.json");
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException(file + ": not found (taskvec reads the fast tokenizer's tokenizer.json)");
        }
        ObjectMapper json = new ObjectMapper();
        Map<String, Integer> vocab = new HashMap<>();
        String unknown = null;
        try {
            JsonNode root = json.readTree(file.toFile());
            JsonNode model = root.path("model");
            // BPE with byte_fallback names an unk_token it never emits
            if (!model.path("byte_fallback").asBoolean(false)) unknown = model.path("unk_token").asText(null);
            JsonNode v = model.path("vocab");
            if (v.isObject()) {
                v.fields().forEachRemaining(e -> vocab.put(e.getKey(), e.getValue().asInt()));
            } else if (v.isArray()) { // Unigram: [[piece, score], ...]
                for (int i = 0; i < v.size(); i++) {
                    vocab.put(v.get(i).get(0).asText(), i);
                }
            }
            for (JsonNode t : root.path("added_tokens")) {
                vocab.put(t.path("content").asText(), t.path("id").asInt());
            }
        } catch (IOException e) {
            throw new ModelLoadException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        boolean usePostProcessor = true;
        int bos = -1;
        int eos = -1;
        Path configFile = modelDir.resolve("tokenizer_config.json");
        if (Files.isRegularFile(configFile)) {
            try {
                JsonNode cfg = json.readTree(configFile.toFile());
                if (cfg.has("add_bos_token") || cfg.has("add_eos_token")) {
                    usePostProcessor = false;
                    if (cfg.path("add_bos_token").asBoolean(false)) {
                        bos = requireToken(vocab, tokenText(cfg.path("bos_token")), configFile, "bos_token");
                    }
                    if (cfg.path("add_eos_token").asBoolean(false)) {
                        eos = requireToken(vocab, tokenText(cfg.path("eos_token")), configFile, "eos_token");
                    }
                }
            } catch (IOException e) {
                throw new ModelLoadException(configFile + ": not valid JSON: " + e.getMessage(), e);
            }
        }
        HuggingFaceTokenizer tok;
        try {
            tok = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(file)
                    .optTruncation(false)
                    .optPadding(false)
                    .optAddSpecialTokens(usePostProcessor)
                    .build();
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException(file + ": the tokenizer cannot be built: " + e.getMessage(), e);
        }
        String placeholder = null;
        if (imageTokenId >= 0) {
            for (Map.Entry<String, Integer> e : vocab.entrySet()) {
                if (e.getValue() == imageTokenId) {
                    placeholder = e.getKey();
                }
            }
            if (placeholder == null) {
                throw new ModelLoadException(file + ": no token has the config's image_token_index " + imageTokenId);
            }
        }
        return new HfPromptTokenizer(tok, vocab, usePostProcessor, bos, eos, placeholder,
                unknown == null ? -1 : vocab.getOrDefault(unknown, -1));
    }

    private static String tokenText(JsonNode node) {
        if (node.isTextual()) {
            return node.asText();
        }
        return node.path("content").asText(null); // AddedToken form
    }

    private static int requireToken(Map<String, Integer> vocab, String token, Path file, String key) {
        Integer id = token == null ? null : vocab.get(token);
        if (id == null) {
            throw new ModelLoadException(file + ": " + key + " '" + token + "' is not in tokenizer.json");
        }
        return id;
    }

    @Override
    public Encoding encode(String text) {
        ai.djl.huggingface.tokenizers.Encoding e = tokenizer.encode(text, usePostProcessor, false);
        long[] raw = e.getIds();
        String[] rawTokens = e.getTokens();
        int extra = (bosId >= 0 ? 1 : 0) + (eosId >= 0 ? 1 : 0);
        int[] ids = new int[raw.length + extra];
        String[] tokens = new String[raw.length + extra];
        int k = 0;
        if (bosId >= 0) {
            ids[k] = bosId;
            tokens[k++] = tokenText(bosId);
        }
        for (int i = 0; i < raw.length; i++, k++) {
            ids[k] = (int) raw[i];
            tokens[k] = rawTokens[i];
        }
        if (eosId >= 0) {
            ids[k] = eosId;
            tokens[k] = tokenText(eosId);
        }
        return new Encoding(ids, tokens);
    }

    @Override
    public Encoding encodeText(String text) {
        ai.djl.huggingface.tokenizers.Encoding e = tokenizer.encode(text, false, false);
        return new Encoding(Arrays.stream(e.getIds()).mapToInt(id -> (int) id).toArray(), e.getTokens());
    }

    @Override
    public String decode(int[] ids) {
        return tokenizer.decode(Arrays.stream(ids).asLongStream().toArray(), true);
    }

    @Override
    public int tokenId(String token) {
        Integer id = vocab.get(token);
        return id == null ? -1 : id;
    }

    @Override
    public String tokenText(int id) {
        return byId.get(id);
    }

    @Override
    public String imagePlaceholder() {
        return imagePlaceholder;
    }

    @Override
    public int unknownTokenId() {
        return unknownId;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
