package taskvec.study.prompt;

/**
 * How a task is specified to the model when its vector is captured: N text demonstrations, N
 * image demonstrations, or an instruction string.
 */
public enum Specification {
    TEXT_EXAMPLES("text-examples", Modality.TEXT),
    IMAGE_EXAMPLES("image-examples", Modality.IMAGE),
    INSTRUCTION("instruction", Modality.TEXT);

    private final String label;
    private final Modality modality;

    Specification(String label, Modality modality) {
        this.label = label;
        this.modality = modality;
    }

    public String label() {
        return label;
    }

    public Modality modality() {
        return modality;
    }

    /** The example specification of a modality. */
    public static Specification examples(Modality m) {
        return m == Modality.TEXT ? TEXT_EXAMPLES : IMAGE_EXAMPLES;
    }

    public static Specification parse(String s) {
        for (Specification spec : values()) {
            if (spec.label.equals(s)) return spec;
        }
        throw new IllegalArgumentException("unknown specification '" + s + "'");
    }
}
