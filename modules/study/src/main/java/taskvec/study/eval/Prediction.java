package taskvec.study.eval;

import taskvec.study.data.Split;

/**
 * One scored answer: which query, under which condition (a label such as
 * {@code text->image/patch/replace/text-examples}), at which layer (-1 when the condition has no
 * layer), what the model said and whether it counts as correct.
 */
public record Prediction(String task, int seed, Split split, String item, String condition, int layer,
                         String prediction, String label, boolean correct) {}
