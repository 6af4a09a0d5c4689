package taskvec.study.analysis;

import java.util.List;

/** The three phases of one (task, specification): probability rows per layer and probe, top tokens per layer. */
public record PhaseResult(List<PhaseRow> probabilities, List<DecodedToken> topTokens) {}
