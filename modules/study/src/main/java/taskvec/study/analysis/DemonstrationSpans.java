package taskvec.study.analysis;

import java.util.ArrayList;
import java.util.List;
import taskvec.model.PromptTokenizer;

/**
 * Where each demonstration's input sits in a tokenized prompt, in positions after image-token
 * expansion: the demonstrations are the {@code Q:{x}\nA:{y}\n\n} blocks before the query, and an
 * image placeholder stands for as many positions as the prompt's expansion gave each image.
 */
public final class DemonstrationSpans {
    private DemonstrationSpans() {}

    /** A half-open position range [from, to). */
    public record Span(int from, int to) {}

    /**
     * The input span of every demonstration in {@code text}, whose expanded length is
     * {@code expandedLength}; {@code placeholder} is the image placeholder (null for text-only).
     */
    public static List<Span> inputs(PromptTokenizer tokenizer, String text, int expandedLength, String placeholder) {
        int images = placeholder == null ? 0 : count(text, placeholder);
        int plain = tokenizer.encode(text).ids().length;
        int perImage = images == 0 ? 1 : (expandedLength - plain) / images + 1; // positions one placeholder becomes
        List<Span> out = new ArrayList<>();
        int blockStart = 0;
        while (true) {
            int end = text.indexOf("\n\n", blockStart);
            if (end < 0) break; // the rest is the query
            int q = text.indexOf("Q:", blockStart);
            int a = text.indexOf("\nA:", blockStart);
            if (q != blockStart || a < 0 || a > end) {
                throw new IllegalArgumentException("demonstration at character " + blockStart + " is not 'Q:{x}\\nA:{y}': " + text);
            }
            int from = positions(tokenizer, text.substring(0, q + 2), placeholder, perImage);
            int to = positions(tokenizer, text.substring(0, a), placeholder, perImage);
            if (to <= from) throw new IllegalArgumentException("demonstration at character " + blockStart + " has an empty input");
            out.add(new Span(from, to));
            blockStart = end + 2;
        }
        return out;
    }

    private static int positions(PromptTokenizer tokenizer, String prefix, String placeholder, int perImage) {
        int n = tokenizer.encode(prefix).ids().length;
        return placeholder == null ? n : n + count(prefix, placeholder) * (perImage - 1);
    }

    private static int count(String s, String sub) {
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) n++;
        return n;
    }
}
