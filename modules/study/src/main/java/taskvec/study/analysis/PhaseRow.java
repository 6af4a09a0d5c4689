package taskvec.study.analysis;

/** Mean probability (over prompts) of one probe's token at one layer. */
public record PhaseRow(int layer, PhaseProbe probe, double probability, int prompts) {}
