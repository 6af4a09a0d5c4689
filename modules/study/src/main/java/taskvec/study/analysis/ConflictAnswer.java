package taskvec.study.analysis;

/**
 * One conflicting query's answer: the model's output and the item's label under the prompted
 * task (the one its context carries) and under the patched task (the vector's).
 */
public record ConflictAnswer(String output, String promptedLabel, String patchedLabel) {}
