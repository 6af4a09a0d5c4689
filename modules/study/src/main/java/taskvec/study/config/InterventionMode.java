package taskvec.study.config;

import java.util.Locale;

/**
 * How a task vector enters the query: REPLACE (the paper: the residual stream at the write
 * position becomes the vector) or ADD (function-vector style: add alpha times the task vector
 * minus the mean zero-shot query vector of the same domain, layer and position).
 */
public enum InterventionMode {
    REPLACE, ADD;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
