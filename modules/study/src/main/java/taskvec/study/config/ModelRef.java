package taskvec.study.config;

import java.nio.file.Path;

/**
 * A model the study uses: a local Hugging Face folder and/or the hub id and revision it was taken
 * from (for the record; nothing is ever downloaded). A study file may leave {@code dir} out and
 * give it at run time (for example {@code --model-dir}).
 */
public record ModelRef(Path dir, String hf, String revision) {
    public ModelRef withDir(Path newDir) {
        return new ModelRef(newDir, hf, revision);
    }

    /** A short name for messages: the folder, else the hub id. */
    public String describe() {
        if (dir != null) return dir.toString();
        return hf + (revision != null ? "@" + revision : "");
    }
}
