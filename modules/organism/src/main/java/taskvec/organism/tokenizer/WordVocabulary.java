package taskvec.organism.tokenizer;

import taskvec.organism.facts.Entity;
import taskvec.organism.facts.TaskFacts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The organism's word-level vocabulary: the special tokens, the prompt symbols, the task words and every word of
 * the task data and of the six instructions. Words are what {@link WordTokenizerJson}'s pre-tokenizer yields:
 * text split at spaces, with each newline and colon a token of its own.
 */
public final class WordVocabulary {

    public static final String UNK = "<unk>";
    public static final String BOS = "<s>";
    public static final String EOS = "</s>";
    public static final String IMAGE = "<image>";
    public static final String NEWLINE = "\n";
    /** The word of the task-naming lines' query: Q:task / A:{task word}. */
    public static final String TASK = "task";
    public static final List<String> SPECIAL = List.of(UNK, BOS, EOS, IMAGE);

    private final Map<String, Integer> ids;

    private WordVocabulary(Map<String, Integer> ids) {
        this.ids = ids;
    }

    public static WordVocabulary of(TaskFacts facts) {
        List<String> ordered = new ArrayList<>(SPECIAL);
        ordered.addAll(List.of(NEWLINE, ":", "Q", "A", TASK));
        ordered.addAll(TaskFacts.TASK_WORDS.values());
        TreeSet<String> words = new TreeSet<>();
        for (Entity e : facts.all()) {
            words.addAll(words(e.input()));
            e.answers().values().forEach(a -> words.addAll(words(a)));
        }
        TaskFacts.INSTRUCTIONS.values().forEach(i -> words.addAll(words(i)));
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (String w : ordered) {
            ids.putIfAbsent(w, ids.size());
        }
        for (String w : words) {
            ids.putIfAbsent(w, ids.size());
        }
        return new WordVocabulary(Collections.unmodifiableMap(ids));
    }

    /** The tokens of a text as the tokenizer splits it (no BOS). */
    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\n' || c == ':') {
                if (word.length() > 0) {
                    out.add(word.toString());
                    word.setLength(0);
                }
                if (c != ' ') {
                    out.add(String.valueOf(c));
                }
            } else {
                word.append(c);
            }
        }
        if (word.length() > 0) {
            out.add(word.toString());
        }
        return out;
    }

    public Map<String, Integer> ids() {
        return ids;
    }

    public int size() {
        return ids.size();
    }

    /** The id of a word; an unknown word is an IllegalArgumentException naming it. */
    public int id(String word) {
        Integer id = ids.get(word);
        if (id == null) {
            throw new IllegalArgumentException("'" + word + "' is not in the organism's vocabulary");
        }
        return id;
    }
}
