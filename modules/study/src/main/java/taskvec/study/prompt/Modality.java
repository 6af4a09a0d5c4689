package taskvec.study.prompt;

import java.util.Locale;

/** How an item is shown: its input text, or its image (the model's image placeholder in the text). */
public enum Modality {
    TEXT, IMAGE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Modality parse(String s) {
        for (Modality m : values()) {
            if (m.label().equals(s)) return m;
        }
        throw new IllegalArgumentException("modality must be text or image, got '" + s + "'");
    }
}
