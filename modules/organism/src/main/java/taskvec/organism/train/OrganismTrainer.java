package taskvec.organism.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import taskvec.model.arch.Constants;
import taskvec.organism.facts.TaskFacts;
import taskvec.organism.tokenizer.WordVocabulary;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains the organism: sequences generated on the fly, the forward pass of {@link OrganismNetwork} under DJL
 * autograd, cross-entropy on answer tokens only, AdamW with warm-up and cosine decay, held-out accuracy every
 * evalEvery steps. Deterministic for a seed: every random choice comes from Java generators seeded by it, the
 * parameters' master copy and the optimizer are plain Java, libtorch runs with a fixed thread count, and every
 * constant in the graph goes through {@link Constants} (DJL's own scalar ops let backward read freed memory).
 */
public final class OrganismTrainer {

    /** What a run produced. */
    public record Result(OrganismParameters parameters, List<double[]> losses, List<Map<String, Object>> evaluations,
                         double seconds, double stepsPerSecond) {
    }

    private final TaskFacts facts;
    private final WordVocabulary vocab;
    private final OrganismSettings s;
    private final PrintStream progress;

    /** @param progress where the progress bar and the periodic accuracies go (null: silent) */
    public OrganismTrainer(TaskFacts facts, OrganismSettings settings, PrintStream progress) {
        this.facts = facts;
        this.vocab = WordVocabulary.of(facts);
        this.s = settings;
        this.progress = progress;
    }

    public WordVocabulary vocabulary() {
        return vocab;
    }

    public Result train() {
        return train(null, null);
    }

    /**
     * @param languageModel when given, the decoder starts from its weights (the VLM made from the organism's
     *                      language model)
     * @param visionTower   when given, the CLIP tower starts from its weights (a pretrained tower); the projector
     *                      always starts fresh
     */
    public Result train(OrganismParameters languageModel, OrganismParameters visionTower) {
        Engine.getEngine("PyTorch");
        JniUtils.setNumThreads(s.threads());
        SplittableRandom root = new SplittableRandom(s.seed());
        OrganismParameters params = start(root.split(), languageModel, visionTower);
        SplittableRandom data = root.split();
        SplittableRandom augment = root.split();
        SequenceSampler sampler = new SequenceSampler(facts, vocab, s);
        EntityPixels pixels = new EntityPixels(facts.dataRoot(), s.imageSize());
        List<HeldOutAccuracy.Probe> probes = HeldOutAccuracy.build(facts, sampler, s.evalPromptsPerTask(), s.seed()).stream()
                .filter(p -> !s.textOnly() || HeldOutAccuracy.TEXT_PROBES.contains(p.name())).toList();
        AdamW optimizer = new AdamW(s.beta1(), s.beta2(), s.weightDecay(), s.gradientClip());
        LearningRateSchedule schedule = new LearningRateSchedule(s.learningRate(), s.warmupSteps(), s.steps(), s.minLearningRateRatio());
        List<double[]> losses = new ArrayList<>();
        List<Map<String, Object>> evaluations = new ArrayList<>();
        long start = System.nanoTime();
        double smoothed = Double.NaN;
        try (NDManager base = NDManager.newBaseManager()) {
            for (int step = 0; step < s.steps(); step++) {
                List<TrainingSequence> batch = new ArrayList<>();
                for (int i = 0; i < s.batchSize(); i++) {
                    batch.add(sampler.next(data));
                }
                double lr = schedule.at(step);
                double loss = step(base, params, batch, pixels, augment.nextLong(), optimizer, lr);
                losses.add(new double[] {step + 1, loss, lr});
                smoothed = Double.isNaN(smoothed) ? loss : 0.95 * smoothed + 0.05 * loss;
                double elapsed = (System.nanoTime() - start) / 1e9;
                if (progress != null) {
                    progress.print(bar(step + 1, smoothed, lr, elapsed));
                }
                if ((step + 1) % s.evalEvery() == 0 || step + 1 == s.steps()) {
                    Map<String, Double> acc = HeldOutAccuracy.measure(s, params, probes, pixels, vocab, 0);
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("step", step + 1);
                    row.put("loss", smoothed);
                    row.putAll(acc);
                    evaluations.add(row);
                    if (progress != null) {
                        progress.println();
                        progress.println("  held-out accuracy at step " + (step + 1) + ": " + format(acc));
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (progress != null) {
            progress.println();
        }
        return new Result(params, losses, evaluations, seconds, s.steps() / seconds);
    }

    /** The parameters training starts from: fresh, with the decoder and the vision tower taken from those given (null: fresh). */
    public OrganismParameters startingParameters(OrganismParameters languageModel, OrganismParameters visionTower) {
        return start(new SplittableRandom(s.seed()).split(), languageModel, visionTower);
    }

    private OrganismParameters start(SplittableRandom init, OrganismParameters languageModel, OrganismParameters visionTower) {
        OrganismParameters p = OrganismParameters.initialize(s, vocab.size(), init);
        if (languageModel != null) {
            p = p.withDecoderOf(languageModel);
        }
        return visionTower == null ? p : p.withVisionTowerOf(visionTower);
    }

    /**
     * One optimisation step. A step whose loss or gradients are not finite and sane stops the run: with a seed's
     * inputs that is a bug (it was one: garbage gradients from constants autograd read after DJL freed them), and
     * going on would make the run something its seed does not say.
     */
    private double step(NDManager base, OrganismParameters params, List<TrainingSequence> batch, EntityPixels pixels,
                        long augmentSeed, AdamW optimizer, double lr) {
        Map<String, float[]> grads = new LinkedHashMap<>();
        double loss = gradients(base, params, batch, pixels, new SplittableRandom(augmentSeed), grads);
        double norm = AdamW.norm(grads);
        if (!(Double.isFinite(loss) && Double.isFinite(norm) && norm < SANE_GRADIENT_NORM)) {
            throw new IllegalStateException("training diverged: a step gave loss " + loss + ", gradient norm " + norm);
        }
        optimizer.update(params, grads, lr);
        return loss;
    }

    /** Gradient norms of this model stay far below this; a larger one is garbage, not learning. */
    private static final double SANE_GRADIENT_NORM = 1e4;

    /** Loss and gradients of one batch: two length-sorted halves (less padding), gradients summed. */
    private double gradients(NDManager base, OrganismParameters params, List<TrainingSequence> batch, EntityPixels pixels,
                             SplittableRandom augment, Map<String, float[]> grads) {
        List<TrainingSequence> sorted = new ArrayList<>(batch);
        sorted.sort(Comparator.comparingInt(TrainingSequence::length));
        int half = sorted.size() >= 4 ? sorted.size() / 2 : sorted.size();
        List<List<TrainingSequence>> chunks = half == sorted.size()
                ? List.of(sorted) : List.of(sorted.subList(0, half), sorted.subList(half, sorted.size()));
        int totalTargets = 0;
        for (TrainingSequence seq : batch) {
            for (int t : seq.targets()) {
                totalTargets += t >= 0 ? 1 : 0;
            }
        }
        boolean anyImages = batch.stream().anyMatch(q -> !q.images().isEmpty());
        double loss = 0;
        try (NDManager scope = base.newSubManager()) {
            Map<String, NDArray> arrays = HeldOutAccuracy.arrays(scope, params, true);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                for (List<TrainingSequence> chunk : chunks) {
                    BatchArrays a = new BatchArrays(scope, chunk, s.numLayers(), s.imageSize(),
                            e -> pixels.augmented(e, s, augment), 0);
                    if (a.targetRows.length == 0) {
                        continue;
                    }
                    OrganismNetwork net = new OrganismNetwork(s, arrays);
                    NDArray images = a.pixels == null ? null
                            : net.encodeImages(a.pixels).reshape(-1, s.hiddenSize());                           // (N*n, D)
                    NDArray h = net.hidden(a.ids, images, a.imageIndex, a.masks).reshape(-1, s.hiddenSize());   // (B*T, D)
                    NDArray rows = h.get(new NDIndex("{}", scope.create(a.targetRows)));                          // (M, D)
                    NDArray logProbs = net.logits(rows).logSoftmax(-1);                                          // (M, V)
                    float[] onehot = new float[a.targetIds.length * vocab.size()];
                    for (int i = 0; i < a.targetIds.length; i++) {
                        onehot[i * vocab.size() + a.targetIds[i]] = 1f;
                    }
                    NDArray chunkLoss = Constants.dividedBy(
                            logProbs.mul(scope.create(onehot, new Shape(a.targetIds.length, vocab.size()))).sum().neg(),
                            totalTargets);
                    gc.backward(chunkLoss);
                    loss += chunkLoss.getFloat();
                }
            }
            for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
                boolean inGraph = HeldOutAccuracy.trainable(e.getKey())
                        && (anyImages || e.getKey().startsWith(OrganismParameters.TEXT));
                // a parameter outside this step's graph has no gradient to read: it counts as zero
                grads.put(e.getKey(), inGraph ? e.getValue().getGradient().toFloatArray() : null);
            }
        }
        return loss;
    }

    private String bar(int step, double loss, double lr, double elapsed) {
        int width = 30;
        int filled = (int) ((long) width * step / s.steps());
        double perStep = elapsed / step;
        long eta = Math.round(perStep * (s.steps() - step));
        return String.format("\r[%s%s] %d/%d loss %.3f lr %.2e %.2f s/step ETA %dm%02ds ",
                "#".repeat(filled), ".".repeat(width - filled), step, s.steps(), loss, lr, perStep, eta / 60, eta % 60);
    }

    static String format(Map<String, Double> acc) {
        StringBuilder sb = new StringBuilder();
        acc.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ').append(String.format("%.3f", v)));
        return sb.toString();
    }
}
