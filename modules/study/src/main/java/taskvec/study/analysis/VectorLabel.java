package taskvec.study.analysis;

/** What a task vector is of: the model that made it, the task, the specification and the modality of its prompts. */
public record VectorLabel(String model, String task, String spec, String modality) {}
