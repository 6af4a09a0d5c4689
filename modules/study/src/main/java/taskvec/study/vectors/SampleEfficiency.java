package taskvec.study.vectors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import taskvec.study.sampling.KeyedRandom;

/**
 * The sample-efficiency curve: the vector for n = 5r examples is the mean of r randomly chosen
 * 5-shot prompt vectors (r = 1..6 in the paper). The choice is keyed by (task, spec, seed, r),
 * so it is the same whenever it is recomputed.
 */
public final class SampleEfficiency {
    private SampleEfficiency() {}

    /** One point of the curve: which prompt vectors were averaged (indices into the list given) and the mean. */
    public record Subset(int prompts, int examples, int[] chosen, LayerVectors mean) {}

    public static Subset subset(String task, String spec, int seed, int prompts, int shots, List<LayerVectors> perPrompt) {
        if (prompts < 1 || prompts > perPrompt.size()) {
            throw new IllegalArgumentException("need 1.." + perPrompt.size() + " prompts, got " + prompts);
        }
        int[] chosen = KeyedRandom.choose(KeyedRandom.forKey("subset", task, spec, seed, prompts), perPrompt.size(), prompts);
        Arrays.sort(chosen);
        List<LayerVectors> picked = new ArrayList<>(prompts);
        for (int i : chosen) picked.add(perPrompt.get(i));
        return new Subset(prompts, prompts * shots, chosen, VectorMath.mean(picked));
    }

    /** The whole curve for r = 1..maxPrompts. */
    public static List<Subset> curve(String task, String spec, int seed, int maxPrompts, int shots, List<LayerVectors> perPrompt) {
        List<Subset> out = new ArrayList<>();
        for (int r = 1; r <= maxPrompts; r++) out.add(subset(task, spec, seed, r, shots, perPrompt));
        return out;
    }
}
