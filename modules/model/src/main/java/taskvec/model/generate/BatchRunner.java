package taskvec.model.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import taskvec.model.EncodedPrompt;
import taskvec.model.Row;
import taskvec.model.RowResult;
import taskvec.model.arch.CausalDecoder;
import taskvec.model.arch.KvCache;
import taskvec.model.config.TextConfig;
import taskvec.model.family.ModelFamily;
import taskvec.model.hooks.Capture;
import taskvec.model.hooks.HookName;
import taskvec.model.hooks.HookPoints;
import taskvec.model.hooks.Intervention;
import taskvec.model.hooks.RowHooks;
import taskvec.model.hooks.TensorRecorder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs rows of {@link taskvec.model.runtime.LoadedModel#run}: rows with identical prompts form one batch whose unpatched
 * prefix (the positions before the earliest intervention) is computed once at batch size 1; its keys and values
 * are then read by every row through broadcasting, and only the rest of the prompt runs per row. Then greedy
 * decoding with the KV cache, all rows of the batch stepping together, generated tokens never patched.
 *
 * <p>Rows of distinct prompts that are alone with their prompt and decode at most one token (capture, zero-shot and
 * prompt baselines: the study's bulk) run together instead, as many as {@link PromptBatching} allows: the prompts'
 * embeddings right-padded to the longest, one forward pass. Padding on the right keeps every real token at its
 * batch-1 position (RoPE) and the causal mask keeps it from attending to the padding after it; each row's logits are
 * read at its own last token. More tokens of decoding would attend to the padding, so such rows keep their own batch.
 */
public final class BatchRunner {

    /** Rows per batch: bounds the per-row part of the KV cache. */
    private static final int MAX_BATCH = 64;
    private static final HookName EMBED = HookName.embed();

    private final ModelFamily family;
    private final CausalDecoder decoder;
    private final TextConfig text;
    private final NDManager manager;
    private volatile PromptBatching batching = PromptBatching.fromEnvironment();

    public BatchRunner(ModelFamily family, TextConfig text, NDManager manager) {
        this.family = family;
        this.decoder = family.decoder();
        this.text = text;
        this.manager = manager;
    }

    /** How many distinct prompts may share a padded batch (default: from the environment, see PromptBatching). */
    public void batching(PromptBatching batching) {
        this.batching = batching;
    }

    /** Prompts per padded batch for prompts of up to {@code tokens} tokens. */
    public int promptsPerBatch(int tokens) {
        return batching.promptsPerBatch(text, tokens, decoder.embedTable().getDataType().getNumOfBytes());
    }

    public List<RowResult> run(List<Row> rows) {
        RowResult[] results = new RowResult[rows.size()];
        boolean[] done = new boolean[rows.size()];
        List<Integer> alone = new ArrayList<>(); // rows alone with their prompt, decoding at most one token
        for (int i = 0; i < rows.size(); i++) {
            if (done[i]) {
                continue;
            }
            List<Integer> group = new ArrayList<>();
            for (int j = i; j < rows.size() && group.size() < MAX_BATCH; j++) {
                if (!done[j] && rows.get(j).prompt().sameInputAs(rows.get(i).prompt())) {
                    group.add(j);
                    done[j] = true;
                }
            }
            if (group.size() == 1 && rows.get(i).maxNewTokens() <= 1) {
                alone.add(i);
                continue;
            }
            List<Row> batch = new ArrayList<>();
            for (int j : group) {
                batch.add(rows.get(j));
            }
            List<RowResult> out = runBatch(batch);
            for (int k = 0; k < group.size(); k++) {
                results[group.get(k)] = out.get(k);
            }
        }
        runPadded(rows, alone, results);
        return Arrays.asList(results);
    }

    /** The given rows in padded batches of distinct prompts, each batch sized for its longest prompt. */
    private void runPadded(List<Row> rows, List<Integer> indices, RowResult[] results) {
        for (int start = 0; start < indices.size(); ) {
            int longest = 0;
            int end = start;
            // grow the batch while the longest prompt so far still allows its size
            while (end < indices.size()) {
                int t = Math.max(longest, rows.get(indices.get(end)).prompt().length());
                if (end > start && end - start + 1 > promptsPerBatch(t)) {
                    break;
                }
                longest = t;
                end++;
            }
            List<Row> batch = new ArrayList<>();
            for (int k = start; k < end; k++) {
                batch.add(rows.get(indices.get(k)));
            }
            List<RowResult> out = batch.size() == 1 ? runBatch(batch) : runPaddedBatch(batch);
            for (int k = start; k < end; k++) {
                results[indices.get(k)] = out.get(k - start);
            }
            start = end;
        }
    }

    /** Distinct prompts in one forward pass: (B, Tmax, D) embeddings, right-padded with zeros. */
    private List<RowResult> runPaddedBatch(List<Row> rows) {
        int b = rows.size();
        int[] lengths = new int[b];
        int longest = 0;
        List<List<Capture>> caps = new ArrayList<>();
        List<List<Intervention>> ivs = new ArrayList<>();
        List<Map<Capture, float[]>> captured = new ArrayList<>();
        for (int r = 0; r < b; r++) {
            Row row = rows.get(r);
            lengths[r] = row.prompt().length();
            checkPositions(row, lengths[r]);
            longest = Math.max(longest, lengths[r]);
            caps.add(row.captures());
            ivs.add(row.interventions());
            captured.add(new LinkedHashMap<>());
        }
        try (NDManager scope = manager.newSubManager()) {
            NDList padded = new NDList();
            for (int r = 0; r < b; r++) {
                NDArray e = promptEmbeddings(scope, rows.get(r).prompt(), List.of(rows.get(r)), captured.subList(r, r + 1));
                if (lengths[r] < longest) {                                                   // (1, T_r, D)
                    long d = e.getShape().get(2);
                    e = e.concat(scope.zeros(new Shape(1, longest - lengths[r], d), e.getDataType(), e.getDevice()), 1);
                }
                padded.add(e);
            }
            RowHooks hooks = new RowHooks(false, caps, ivs, captured);
            NDArray x = hooks.at(EMBED, NDArrays.concat(padded, 0), 0);                     // (B, Tmax, D)
            NDArray normed = decoder.normalize(decoder.layers(x, 0, null, hooks), 0, hooks);
            NDList lastPositions = new NDList();
            for (int r = 0; r < b; r++) {
                lastPositions.add(normed.get(new NDIndex("{}, {}", r, lengths[r] - 1)));       // (D)
            }
            float[][] last = rowsOf(decoder.head(NDArrays.stack(lastPositions, 0)), b);       // (B, V)
            List<RowResult> out = new ArrayList<>();
            for (int r = 0; r < b; r++) {
                int[] generated = rows.get(r).maxNewTokens() == 0 ? new int[0] : new int[] {argmax(last[r])};
                out.add(new RowResult(captured.get(r), last[r], generated));
            }
            return out;
        }
    }

    /**
     * Every hook site in the order one forward pass reaches it (the vision side first for a vision-language
     * model): runs a blank image (if any) and a one-token prompt through a recorder.
     */
    public List<HookName> hookOrder() {
        List<HookName> order = new ArrayList<>();
        HookPoints recorder = (name, x, start) -> {
            order.add(name);
            return x;
        };
        try (NDManager scope = manager.newSubManager()) {
            family.traceVisionHooks(scope, recorder);
            NDArray x = recorder.at(EMBED, decoder.embed(scope.create(new long[] {0}, new Shape(1, 1))), 0);
            decoder.normalize(decoder.layers(x, 0, null, recorder), 0, recorder);
        }
        return order;
    }

    private List<RowResult> runBatch(List<Row> rows) {
        EncodedPrompt prompt = rows.get(0).prompt();
        int t = prompt.length();
        if (t == 0) {
            throw new IllegalArgumentException("a prompt needs at least one token");
        }
        int b = rows.size();
        int prefix = t - 1; // the last position always runs per row: it yields each row's logits
        for (Row row : rows) {
            checkPositions(row, t);
            for (Intervention iv : row.interventions()) {
                prefix = Math.min(prefix, iv.position());
            }
        }
        List<Map<Capture, float[]>> captured = new ArrayList<>();
        for (int r = 0; r < b; r++) {
            captured.add(new LinkedHashMap<>());
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray embeds = promptEmbeddings(scope, prompt, rows, captured);         // (1, T, D)
            List<List<Capture>> caps = new ArrayList<>();
            List<List<Intervention>> ivs = new ArrayList<>();
            for (Row row : rows) {
                caps.add(row.captures());
                ivs.add(row.interventions());
            }
            KvCache cache = new KvCache(decoder.numLayers());
            if (prefix > 0) {
                RowHooks sharedHooks = new RowHooks(true, caps, emptyLists(b), captured);
                cache.writeShared(true);
                NDArray x = sharedHooks.at(EMBED, embeds.get(new NDIndex(":, :{}", prefix)), 0); // (1, P, D)
                NDArray h = decoder.layers(x, 0, cache, sharedHooks);
                decoder.normalize(h, 0, sharedHooks);
                cache.writeShared(false);
            }
            RowHooks rowHooks = new RowHooks(false, caps, ivs, captured);
            NDArray rest = embeds.get(new NDIndex(":, {}:", prefix));
            long d = rest.getShape().get(2);
            NDArray x = rowHooks.at(EMBED, rest.broadcast(b, t - prefix, d), prefix);      // (B, T-P, D)
            NDArray h = decoder.layers(x, prefix, cache, rowHooks);
            NDArray normed = decoder.normalize(h, prefix, rowHooks);
            NDArray logits = decoder.head(normed.get(new NDIndex(":, -1:")));               // (B, 1, V)
            float[][] last = rowsOf(logits, b);
            int[][] generated = generate(rows, last, cache, t, scope);
            List<RowResult> out = new ArrayList<>();
            for (int r = 0; r < b; r++) {
                out.add(new RowResult(captured.get(r), last[r], generated[r]));
            }
            return out;
        }
    }

    /** The family's input embeddings; vision-side captures are read from the whole site tensors here. */
    private NDArray promptEmbeddings(NDManager scope, EncodedPrompt prompt, List<Row> rows,
                                     List<Map<Capture, float[]>> captured) {
        Set<HookName> visionSites = new HashSet<>();
        for (Row row : rows) {
            for (Capture c : row.captures()) {
                if (c.hook().isVisionSide()) {
                    visionSites.add(c.hook());
                }
            }
        }
        TensorRecorder recorder = new TensorRecorder(visionSites);
        NDArray embeds = family.embed(prompt, scope, recorder);                                // (1, T, D)
        recordVision(rows, recorder, captured);
        return embeds;
    }

    /**
     * A vision-side capture reads one row of its site's tensor flattened over images: images (crops) in prompt
     * order, each image's rows in order, i.e. the tensor reshaped to (rows, width).
     */
    private static void recordVision(List<Row> rows, TensorRecorder recorder, List<Map<Capture, float[]>> captured) {
        Map<HookName, float[]> flat = new LinkedHashMap<>();
        for (int r = 0; r < rows.size(); r++) {
            for (Capture c : rows.get(r).captures()) {
                if (!c.hook().isVisionSide()) {
                    continue;
                }
                NDArray a = recorder.get(c.hook());
                if (a == null) {
                    throw new IllegalArgumentException("capture at " + c.hook()
                            + ": the site was not reached (no such site in this model, or a prompt without images)");
                }
                float[] all = flat.computeIfAbsent(c.hook(),
                        h -> a.toType(DataType.FLOAT32, false).toDevice(ai.djl.Device.cpu(), false).toFloatArray());
                long[] shape = a.getShape().getShape();
                int width = (int) shape[shape.length - 1];
                int count = all.length / width;
                if (c.position() >= count) {
                    throw new IllegalArgumentException("capture at " + c.hook() + " row " + c.position()
                            + ": the site has " + count + " rows for this prompt");
                }
                captured.get(r).put(c, Arrays.copyOfRange(all, c.position() * width, (c.position() + 1) * width));
            }
        }
    }

    private int[][] generate(List<Row> rows, float[][] lastLogits, KvCache cache, int promptLength, NDManager scope) {
        int b = rows.size();
        int max = 0;
        for (Row row : rows) {
            max = Math.max(max, row.maxNewTokens());
        }
        List<List<Integer>> out = new ArrayList<>();
        boolean[] finished = new boolean[b];
        long[] next = new long[b];
        for (int r = 0; r < b; r++) {
            out.add(new ArrayList<>());
            next[r] = argmax(lastLogits[r]);
            finished[r] = rows.get(r).maxNewTokens() == 0;
        }
        cache.decoding(true);
        for (int step = 0; step < max; step++) {
            boolean all = true;
            for (int r = 0; r < b; r++) {
                if (finished[r]) {
                    continue;
                }
                out.get(r).add((int) next[r]);
                if (out.get(r).size() >= rows.get(r).maxNewTokens() || rows.get(r).stopTokenIds().contains((int) next[r])) {
                    finished[r] = true;
                }
                all &= finished[r];
            }
            if (all) {
                break;
            }
            try (NDManager stepScope = scope.newSubManager()) {
                NDArray x = decoder.embed(stepScope.create(next, new Shape(b, 1)));          // (B, 1, D)
                int pos = promptLength + step;
                NDArray h = decoder.layers(x, pos, cache, HookPoints.NONE);
                float[][] logits = rowsOf(decoder.head(decoder.normalize(h, pos, HookPoints.NONE)), b);
                for (int r = 0; r < b; r++) {
                    next[r] = argmax(logits[r]);
                }
                // the cache's new keys/values were made in stepScope: keep them alive with the batch
                cache.attachTo(scope);
            }
        }
        int[][] result = new int[b][];
        for (int r = 0; r < b; r++) {
            result[r] = out.get(r).stream().mapToInt(Integer::intValue).toArray();
        }
        return result;
    }

    private static float[][] rowsOf(NDArray logits, int b) {
        float[] all = logits.toType(DataType.FLOAT32, false).toDevice(ai.djl.Device.cpu(), false).toFloatArray();
        int v = all.length / b;
        float[][] rows = new float[b][];
        for (int r = 0; r < b; r++) {
            rows[r] = Arrays.copyOfRange(all, r * v, (r + 1) * v);
        }
        return rows;
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    private static void checkPositions(Row row, int length) {
        for (Intervention iv : row.interventions()) {
            checkPosition(iv.position(), length, "intervention at " + iv.hook());
        }
        for (Capture c : row.captures()) {
            if (!c.hook().isVisionSide()) { // a vision-side position is a row of its site, checked when read
                checkPosition(c.position(), length, "capture at " + c.hook());
            }
        }
    }

    private static void checkPosition(int position, int length, String what) {
        if (position >= length) {
            throw new IllegalArgumentException(what + ": position " + position + " is outside the prompt of "
                    + length + " tokens");
        }
    }

    private static List<List<Intervention>> emptyLists(int n) {
        List<List<Intervention>> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(List.of());
        }
        return l;
    }
}
