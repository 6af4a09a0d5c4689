package taskvec.model;

import taskvec.model.hooks.Capture;
import taskvec.model.hooks.Intervention;

import java.util.List;
import java.util.Set;

/** One unit of work for {@link taskvec.model.runtime.LoadedModel#run}: a prompt, its patches, what to read out, and how far to generate. */
public record Row(EncodedPrompt prompt, List<Intervention> interventions, List<Capture> captures,
                  int maxNewTokens, Set<Integer> stopTokenIds) {

    public Row {
        interventions = interventions == null ? List.of() : List.copyOf(interventions);
        captures = captures == null ? List.of() : List.copyOf(captures);
        stopTokenIds = stopTokenIds == null ? Set.of() : Set.copyOf(stopTokenIds);
        if (maxNewTokens < 0) {
            throw new IllegalArgumentException("maxNewTokens must be >= 0, got " + maxNewTokens);
        }
    }

    /** A row that only reads the prompt's last logits and the given captures. */
    public static Row of(EncodedPrompt prompt, List<Intervention> interventions, List<Capture> captures) {
        return new Row(prompt, interventions, captures, 0, Set.of());
    }
}
