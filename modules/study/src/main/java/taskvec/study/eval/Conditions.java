package taskvec.study.eval;

import taskvec.study.config.InterventionMode;
import taskvec.study.prompt.Modality;
import taskvec.study.prompt.ModalityPair;

/**
 * Condition labels, the keys accuracy is grouped by:
 * {@code no-context/image}, {@code prompt/text->image},
 * {@code patch/text->image/text-examples/replace}, {@code patch/text->image/ensemble/add@0.5}.
 * Vector names: text-examples, image-examples, instruction, ensemble, source:... (captured on the
 * source model, LLM->VLM), subset-r{r}:... (sample efficiency).
 */
public final class Conditions {
    private Conditions() {}

    public static String noContext(Modality target) {
        return "no-context/" + target.label();
    }

    public static String prompt(ModalityPair pair) {
        return "prompt/" + pair.label();
    }

    public static String patch(ModalityPair pair, String vector, InterventionMode mode, double alpha) {
        String m = mode == InterventionMode.REPLACE ? "replace" : "add@" + formatAlpha(alpha);
        return "patch/" + pair.label() + "/" + vector + "/" + m;
    }

    private static String formatAlpha(double a) {
        return a == Math.rint(a) ? Long.toString((long) a) : Double.toString(a);
    }
}
