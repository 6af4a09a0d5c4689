package taskvec.study.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The paper's protocol values: what a study file gets for every setting it leaves out. */
public final class PaperDefaults {
    private PaperDefaults() {}

    public static final List<String> TASKS = List.of(
            "country-capital", "country-currency", "animal-latin", "animal-young", "food-color", "food-flavor");

    /** The paper's six instruction strings, exactly. */
    public static final Map<String, String> INSTRUCTIONS;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("country-capital", "The capital city of the country:");
        m.put("country-currency", "The last word of the official currency of the country:");
        m.put("animal-latin", "The scientific name of the animal's species in latin:");
        m.put("animal-young", "The term for the baby of the animal:");
        m.put("food-color", "The color of the food:");
        m.put("food-flavor", "The flavor descriptor of the food:");
        INSTRUCTIONS = java.util.Collections.unmodifiableMap(m);
    }

    public static final List<Integer> SEEDS = List.of(1, 2, 3);
    public static final List<String> MODALITY_PAIRS = List.of("text->image", "image->image", "text->text", "image->text");
    public static final int SHOTS = 5;
    public static final int MAX_NEW_TOKENS = 1;
    public static final int PRE_RESIZE_WIDTH = 224;
    public static final int SAMPLE_EFFICIENCY_MAX_PROMPTS = 6;
    public static final String DATASET_ROOT = "data/tasks";
}
