package taskvec.study.vectors;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;
import taskvec.model.Row;
import taskvec.model.RowResult;
import taskvec.model.hooks.Capture;
import taskvec.model.runtime.LoadedModel;
import taskvec.study.StudyInputException;
import taskvec.study.prompt.PromptEncoder;
import taskvec.study.prompt.ResolvedPrompt;

/**
 * The capture step: runs the model on prompts and keeps, per prompt, the residual stream after
 * every decoder layer (HF hidden_states[l+1]) at one position: the read position for task
 * vectors, the write position for the zero-shot query mean that the additive mode subtracts.
 */
public final class VectorCapture {
    /** Rows per call to the runtime: bounds the preprocessed images held at once. */
    private static final int CHUNK = 16;

    private VectorCapture() {}

    /** Per prompt, the (L, D) vectors at its read position. */
    public static List<LayerVectors> atRead(LoadedModel model, PromptEncoder encoder, List<ResolvedPrompt> prompts) {
        return at(model, encoder, prompts, p -> {
            if (p.readPosition() == null) {
                throw new StudyInputException(p.plan().describe() + ": has no read position to capture");
            }
            return p.readPosition();
        });
    }

    /** Per prompt, the (L, D) vectors at its write position (the last token). */
    public static List<LayerVectors> atWrite(LoadedModel model, PromptEncoder encoder, List<ResolvedPrompt> prompts) {
        return at(model, encoder, prompts, ResolvedPrompt::writePosition);
    }

    public static List<LayerVectors> at(LoadedModel model, PromptEncoder encoder, List<ResolvedPrompt> prompts,
                                        ToIntFunction<ResolvedPrompt> position) {
        int layers = model.numLayers();
        List<LayerVectors> out = new ArrayList<>(prompts.size());
        for (int start = 0; start < prompts.size(); start += CHUNK) {
            List<ResolvedPrompt> chunk = prompts.subList(start, Math.min(prompts.size(), start + CHUNK));
            List<Row> rows = new ArrayList<>(chunk.size());
            List<List<Capture>> captures = new ArrayList<>(chunk.size());
            for (ResolvedPrompt p : chunk) {
                int pos = position.applyAsInt(p);
                List<Capture> cs = new ArrayList<>(layers);
                for (int l = 0; l < layers; l++) cs.add(Capture.residPost(l, pos));
                captures.add(cs);
                rows.add(new Row(encoder.encode(p), List.of(), cs, 0, Set.of()));
            }
            List<RowResult> results = model.run(rows);
            for (int i = 0; i < chunk.size(); i++) {
                float[][] v = new float[layers][];
                for (int l = 0; l < layers; l++) v[l] = results.get(i).captured().get(captures.get(i).get(l));
                out.add(new LayerVectors(v)); // (L, D)
            }
        }
        return out;
    }
}
