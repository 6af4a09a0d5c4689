package taskvec.study.prompt;

/**
 * Where a task vector comes from and where it goes: {@code text->image} means text examples
 * (or a text instruction) specify the task and image queries receive it.
 */
public record ModalityPair(Modality source, Modality target) {
    public static final String ARROW = "->";

    public String label() {
        return source.label() + ARROW + target.label();
    }

    /** Parses "text->image" and the like; an IllegalArgumentException otherwise. */
    public static ModalityPair parse(String s) {
        int i = s.indexOf(ARROW);
        if (i < 0) throw new IllegalArgumentException("expected SOURCE->TARGET such as text->image, got '" + s + "'");
        return new ModalityPair(Modality.parse(s.substring(0, i).strip()), Modality.parse(s.substring(i + ARROW.length()).strip()));
    }

    @Override
    public String toString() {
        return label();
    }
}
