package taskvec.workflow.plan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import taskvec.store.key.ContentKey;
import taskvec.study.data.DatasetImporter;
import taskvec.study.data.Split;
import taskvec.study.prompt.ModalityPair;
import taskvec.study.prompt.PlannedPrompt;
import taskvec.workflow.context.FileHashes;
import taskvec.workflow.context.Provenance;
import taskvec.workflow.context.RunContext;

/**
 * Keys of stages and items: what every key carries (the stage, the code version, the target
 * model's identity) and the parts one item adds (what it is, the settings that matter to it, the
 * hashes of its inputs: files it reads and the keys of the items whose outputs it reads).
 */
public final class ItemKeys {
    private ItemKeys() {}

    public static Map<String, Object> common(RunContext ctx, String stage) {
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("stage", stage);
        parts.put("code", Provenance.codeVersion());
        parts.put("model", ctx.modelPart());
        return parts;
    }

    public static PlannedItem item(RunContext ctx, String stage, StageItem what, Map<String, ?> settings, Map<String, ?> inputs) {
        Map<String, Object> parts = common(ctx, stage);
        parts.put("item", what.keyPart());
        parts.put("settings", settings);
        parts.put("inputs", inputs);
        return new PlannedItem(stage, what, ContentKey.of(parts));
    }

    /** The settings that shape every prompt text. */
    public static Map<String, Object> promptSettings(RunContext ctx) {
        Map<String, Object> s = new TreeMap<>();
        s.put("shots", ctx.study().shots());
        s.put("seeds", ctx.study().seeds());
        s.put("specifications", ctx.study().specifications());
        s.put("modality_pairs", ctx.study().modalityPairs().stream().map(ModalityPair::label).toList());
        return s;
    }

    /** SHA-256 of a task's annotation files, by "task_split". */
    public static Map<String, String> annotationHashes(RunContext ctx, String task) {
        Map<String, String> out = new TreeMap<>();
        for (Split split : Split.values()) {
            out.put(task + "_" + split.fileName(), FileHashes.sha256(DatasetImporter.annotationFile(ctx.study().datasetRoot(), task, split)));
        }
        return out;
    }

    /** SHA-256 of every image the prompts show, by file name. */
    public static Map<String, String> imageHashes(RunContext ctx, List<PlannedPrompt> prompts) {
        Map<String, String> out = new TreeMap<>();
        for (PlannedPrompt p : prompts) {
            for (String image : p.images()) out.computeIfAbsent(image, i -> FileHashes.sha256(ctx.dataset().resolveImage(i)));
        }
        return out;
    }

    /** One hash over many keys (a stage's items, the val items a later stage follows). */
    public static String hashOf(List<PlannedItem> items) {
        return ContentKey.of(Map.of("keys", items.stream().map(i -> i.key().hash()).toList())).hash();
    }
}
