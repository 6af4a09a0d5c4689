package taskvec.organism.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import taskvec.organism.facts.TaskFacts;
import taskvec.organism.tokenizer.WordVocabulary;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One training run from settings to a written model folder with its manifest. */
public final class OrganismRun {

    /** How the late-read regime is described in the manifest (and the README). */
    public static final String LATE_READ = "In a random share (lateReadShare) of training sequences, every answer "
            + "delimiter ':' may not attend to its own query's tokens in the first r decoder layers, r uniform in "
            + "1..lateReadMaxLayers, so the model learns to read the query after the layers where a task vector is "
            + "formed; lateReadShare 0 switches it off.";

    private OrganismRun() {
    }

    /**
     * The whole schedule: the language model on the text-only mix, written to {@code languageModelOut}; then the
     * VLM made from the folder just written (its decoder read back from there), the pretrained CLIP tower of
     * {@code visionTower} (null: a fresh one) and a fresh projector, trained with pictures, written to {@code out}.
     */
    public static OrganismTrainer.Result trainSchedule(TaskFacts facts, OrganismSchedule schedule, Path visionTower,
                                                       Path languageModelOut, Path out, PrintStream progress) {
        if (progress != null) {
            progress.println("1/2 the language model (" + schedule.languageModel().steps() + " steps, text only) -> " + languageModelOut);
        }
        trainAndWrite(facts, schedule.languageModel(), languageModelOut, progress, null, null);
        if (progress != null) {
            progress.println("2/2 the VLM made from it (" + schedule.vlm().steps() + " steps, with pictures) -> " + out);
        }
        return trainAndWrite(facts, schedule.vlm(), out, progress, languageModelOut, visionTower);
    }

    /**
     * One training run written as a folder: a language model when the settings are text-only, else a VLM.
     *
     * @param languageModel a language model folder whose decoder the VLM starts from, or null to start fresh
     * @param visionTower   a vision tower folder ({@link #writeVisionTower}) whose CLIP tower the VLM starts from, or null
     */
    public static OrganismTrainer.Result trainAndWrite(TaskFacts facts, OrganismSettings s, Path out, PrintStream progress,
                                                       Path languageModel, Path visionTower) {
        String codeVersion = codeVersion(facts.dataRoot()); // before training: the code that trains
        OrganismTrainer trainer = new OrganismTrainer(facts, s, progress);
        if (s.textOnly() && (languageModel != null || visionTower != null)) {
            throw new IllegalArgumentException("a language model starts fresh; only a VLM is made from other folders");
        }
        OrganismParameters decoder = null;
        if (languageModel != null) {
            OrganismSettings lm = OrganismFolder.readSettings(languageModel);
            if (!lm.textOnly()) {
                throw new IllegalArgumentException(languageModel + ": not a language model folder (its manifest's mix has pictures)");
            }
            decoder = OrganismFolder.readParameters(languageModel, lm, trainer.vocabulary().size());
        }
        OrganismParameters tower = visionTower == null ? null : OrganismFolder.readVisionTower(visionTower, s);
        OrganismTrainer.Result r = trainer.train(decoder, tower);
        ObjectMapper json = new ObjectMapper();
        ObjectNode manifest = json.createObjectNode();
        manifest.put("name", s.textOnly() ? "taskvec organism language model" : "taskvec organism");
        manifest.put("created", Instant.now().toString());
        manifest.put("code_version", codeVersion);
        manifest.put("seed", s.seed());
        manifest.set("settings", json.valueToTree(s.asMap()));
        manifest.put("late_read_regime", s.lateReadShare() > 0 ? LATE_READ : "off");
        if (languageModel != null) {
            startedFrom(manifest.putObject("decoder_start"), out, languageModel);
        }
        if (visionTower != null) {
            startedFrom(manifest.putObject("vision_tower_start"), out, visionTower);
        }
        ObjectNode mix = manifest.putObject("training_mix");
        for (SequenceSampler.Kind k : SequenceSampler.Kind.values()) {
            mix.put(k.name().toLowerCase(), s.trainingMix().get(k.ordinal()));
        }
        manifest.put("parameter_count", r.parameters().count());
        manifest.put("vocab_size", trainer.vocabulary().size());
        manifest.put("training_seconds", r.seconds());
        manifest.put("steps_per_second", r.stepsPerSecond());
        ObjectNode data = manifest.putObject("data");
        for (String domain : TaskFacts.DOMAINS) {
            Path f = facts.dataRoot().resolve("facts").resolve(domain + ".tsv");
            data.put("facts/" + domain + ".tsv", OrganismFolder.sha256(f));
        }
        ArrayNode losses = manifest.putArray("losses");
        int every = Math.max(1, r.losses().size() / 200);
        for (int i = 0; i < r.losses().size(); i += every) {
            double sum = 0;
            int n = 0;
            for (int j = i; j < Math.min(r.losses().size(), i + every); j++, n++) {
                sum += r.losses().get(j)[1];
            }
            ArrayNode row = losses.addArray();
            row.add((int) r.losses().get(Math.min(r.losses().size(), i + every) - 1)[0]);
            row.add(sum / n);
        }
        ArrayNode evals = manifest.putArray("held_out_accuracy");
        for (Map<String, Object> e : r.evaluations()) {
            evals.add(json.valueToTree(e));
        }
        try {
            Files.createDirectories(out);
            StringBuilder log = new StringBuilder("step\tloss\tlr\n");
            for (double[] l : r.losses()) {
                log.append((int) l[0]).append('\t').append(String.format("%.5f", l[1])).append('\t')
                        .append(String.format("%.3e", l[2])).append('\n');
            }
            Files.writeString(out.resolve("training-log.tsv"), log.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": cannot write the training log: " + e.getMessage(), e);
        }
        OrganismFolder.write(out, r.parameters(), s, trainer.vocabulary(), manifest);
        ((ObjectNode) manifest.get("files")).put("training-log.tsv", OrganismFolder.sha256(out.resolve("training-log.tsv")));
        try {
            json.writerWithDefaultPrettyPrinter().writeValue(out.resolve(OrganismFolder.MANIFEST).toFile(), manifest);
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": cannot write the manifest: " + e.getMessage(), e);
        }
        return r;
    }

    /** Where a part started: the folder (relative to the written folder's parent) and the SHA-256 of its weights. */
    private static void startedFrom(ObjectNode node, Path out, Path folder) {
        Path parent = out.toAbsolutePath().normalize().getParent();
        node.put("folder", parent.relativize(folder.toAbsolutePath().normalize()).toString());
        node.put("model.safetensors", OrganismFolder.sha256(folder.resolve("model.safetensors")));
    }

    /**
     * Writes a trained VLM's CLIP tower alone as a vision tower folder, with a manifest naming where it came from
     * (the VLM folder's weights, code version, seed and steps) and the VLM's settings (the tower's dimensions).
     */
    public static void writeVisionTower(TaskFacts facts, Path vlm, Path out) {
        OrganismSettings s = OrganismFolder.readSettings(vlm);
        if (s.textOnly()) {
            throw new IllegalArgumentException(vlm + ": a language model folder has no vision tower");
        }
        OrganismParameters params = OrganismFolder.readParameters(vlm, s, WordVocabulary.of(facts).size());
        ObjectMapper json = new ObjectMapper();
        ObjectNode manifest = json.createObjectNode();
        manifest.put("name", "taskvec organism vision tower");
        manifest.put("created", Instant.now().toString());
        manifest.put("code_version", codeVersion(facts.dataRoot()));
        ObjectNode source = manifest.putObject("source");
        startedFrom(source, out, vlm);
        try {
            JsonNode vlmManifest = json.readTree(vlm.resolve(OrganismFolder.MANIFEST).toFile());
            source.put("code_version", vlmManifest.path("code_version").asText());
            source.put("seed", vlmManifest.path("seed").asLong());
            source.put("steps", s.steps());
        } catch (IOException e) {
            throw new UncheckedIOException(vlm + ": cannot read the manifest: " + e.getMessage(), e);
        }
        manifest.set("settings", json.valueToTree(s.asMap()));
        OrganismFolder.writeVisionTower(out, params, s, manifest);
    }

    /** The git commit of the project (with "+dirty" when files differ), or "unknown" outside a checkout. */
    static String codeVersion(Path dataRoot) {
        try {
            Process p = new ProcessBuilder("git", "-C", dataRoot.toAbsolutePath().toString(), "describe", "--always", "--dirty")
                    .redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && !v.isEmpty() ? v : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
