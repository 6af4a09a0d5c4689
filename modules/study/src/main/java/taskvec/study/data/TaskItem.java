package taskvec.study.data;

import java.util.Objects;

/**
 * One item of a task: the text input, the label, and an optional image path relative to the
 * dataset root (null when the item has no image).
 */
public record TaskItem(String id, String input, String output, String image) {
    public TaskItem {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
    }

    public boolean hasImage() {
        return image != null;
    }
}
