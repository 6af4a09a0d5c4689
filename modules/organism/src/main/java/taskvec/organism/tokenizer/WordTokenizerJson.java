package taskvec.organism.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Writes a vocabulary as a Hugging Face tokenizer.json: a WordLevel model; a pre-tokenizer that drops spaces and
 * isolates every newline and colon (so "\n\n" is two tokens); the special tokens as added tokens (so
 * {@code <image>} is matched before splitting); a post-processor that puts BOS in front.
 */
public final class WordTokenizerJson {

    private WordTokenizerJson() {
    }

    public static ObjectNode build(WordVocabulary vocabulary) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (String s : WordVocabulary.SPECIAL) {
            ObjectNode t = added.addObject();
            t.put("id", vocabulary.id(s));
            t.put("content", s);
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
        }
        root.putNull("normalizer");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "Sequence");
        ArrayNode steps = pre.putArray("pretokenizers");
        ObjectNode spaces = steps.addObject();
        spaces.put("type", "Split");
        spaces.putObject("pattern").put("String", " ");
        spaces.put("behavior", "Removed");
        spaces.put("invert", false);
        ObjectNode symbols = steps.addObject();
        symbols.put("type", "Split");
        symbols.putObject("pattern").put("Regex", "\n|:");
        symbols.put("behavior", "Isolated");
        symbols.put("invert", false);
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", WordVocabulary.BOS).put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = post.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", WordVocabulary.BOS).put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode bos = post.putObject("special_tokens").putObject(WordVocabulary.BOS);
        bos.put("id", WordVocabulary.BOS);
        bos.putArray("ids").add(vocabulary.id(WordVocabulary.BOS));
        bos.putArray("tokens").add(WordVocabulary.BOS);
        root.putNull("decoder");
        ObjectNode model = root.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode vocab = model.putObject("vocab");
        vocabulary.ids().forEach(vocab::put);
        model.put("unk_token", WordVocabulary.UNK);
        return root;
    }

    public static void write(WordVocabulary vocabulary, Path file) {
        try {
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), build(vocabulary));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot be written: " + e.getMessage(), e);
        }
    }
}
