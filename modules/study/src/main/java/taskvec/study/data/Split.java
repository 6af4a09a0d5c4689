package taskvec.study.data;

import java.util.Locale;

/** The paper's two splits: val (vectors and layer choice) and test (reported accuracy). */
public enum Split {
    VAL, TEST;

    /** The name used in file names and study files: "val" or "test". */
    public String fileName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses "val" or "test" (case-insensitive); anything else is an IllegalArgumentException. */
    public static Split parse(String s) {
        for (Split split : values()) {
            if (split.fileName().equalsIgnoreCase(s)) return split;
        }
        throw new IllegalArgumentException("split must be val or test, got '" + s + "'");
    }
}
