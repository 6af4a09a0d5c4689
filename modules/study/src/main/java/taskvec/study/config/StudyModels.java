package taskvec.study.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import taskvec.model.ModelLoadException;
import taskvec.model.RuntimeSettings;
import taskvec.model.files.HubCache;
import taskvec.model.files.ModelFolder;
import taskvec.model.runtime.MemoryEstimate;
import taskvec.study.StudyInputException;

/**
 * Finds a study's models on this machine and checks them before either is loaded, so a missing source, a
 * checkpoint in the wrong form or an LLM whose residual space differs from the VLM's stops the run before minutes
 * of loading a 7B target.
 */
public final class StudyModels {

    /** Both models checked: configs read, files present, memory estimated (source null without LLM->VLM). */
    public record Checked(Study study, ModelFolder.Checked target, ModelFolder.Checked source,
                          MemoryEstimate targetMemory, MemoryEstimate sourceMemory) {}

    private StudyModels() {}

    /**
     * The study with each model's folder set: the command line's folder (--model-dir, --source-dir) when given,
     * else {@code models.X.dir}, else the snapshot of {@code models.X.hf} at {@code models.X.revision} in the
     * local Hugging Face cache. A model found nowhere is an error naming every path tried.
     */
    public static Study locate(Study study, Path targetDir, Path sourceDir, Map<String, String> env) {
        Study s = study.withTargetDir(locate(study, "target", study.models().target(), targetDir, "--model-dir", env));
        if (study.models().source() != null || sourceDir != null) {
            ModelRef source = study.models().source() != null ? study.models().source() : new ModelRef(null, null, null);
            s = s.withSourceDir(locate(study, "source", source, sourceDir, "--source-dir", env));
        }
        return s;
    }

    /** The study with the target's folder set, as {@link #locate(Study, Path, Path, Map)} (for commands that need only it). */
    public static Study locateTarget(Study study, Path targetDir, Map<String, String> env) {
        return study.withTargetDir(locate(study, "target", study.models().target(), targetDir, "--model-dir", env));
    }

    private static Path locate(Study study, String role, ModelRef ref, Path override, String option, Map<String, String> env) {
        List<String> tried = new ArrayList<>();
        if (override != null) {
            Path dir = override.toAbsolutePath().normalize();
            if (Files.isDirectory(dir)) return dir;
            throw new StudyInputException(study.file() + ": models." + role + ": " + option + " " + dir + ": not a folder");
        }
        if (ref.dir() != null) {
            if (Files.isDirectory(ref.dir())) return ref.dir();
            tried.add(ref.dir() + " (models." + role + ".dir)");
        }
        if (ref.hf() != null) {
            Optional<Path> snapshot = HubCache.find(ref.hf(), ref.revision(),
                    HubCache.roots(env, Path.of(System.getProperty("user.home"))), tried);
            if (snapshot.isPresent()) return snapshot.get();
        }
        if (tried.isEmpty()) {
            throw new StudyInputException(study.file() + ": models." + role + ": no folder given (give models." + role
                    + ".dir or hf + revision in the file, or " + option + ")");
        }
        throw new StudyInputException(study.file() + ": models." + role + ": " + ref.describe()
                + ": model folder not found (nothing is downloaded; give " + option + " or put the revision in the Hugging Face cache); tried "
                + String.join(", ", tried));
    }

    /**
     * Reads both located models' configs and checks their files (safetensors, tokenizer.json), that the source
     * shares the target's residual space (layer count, hidden size) and that both fit the device together.
     */
    public static Checked check(Study study, RuntimeSettings runtime) {
        ModelFolder.Checked target = ModelFolder.check(study.models().target().dir());
        ModelFolder.Checked source = null;
        if (study.models().source() != null) {
            source = ModelFolder.check(study.models().source().dir());
            requireTransferable(study.models().source().describe(), source.config().text().numLayers(),
                    source.config().text().hiddenSize(), study.models().target().describe(),
                    target.config().text().numLayers(), target.config().text().hiddenSize());
        }
        var dtype = runtime.djlDataType();
        MemoryEstimate targetMemory = MemoryEstimate.of(target, dtype, MemoryEstimate.DEFAULT_TOKENS, 1);
        MemoryEstimate sourceMemory = source == null ? null : MemoryEstimate.of(source, dtype, MemoryEstimate.DEFAULT_TOKENS, 1);
        long need = targetMemory.totalBytes() + (sourceMemory == null ? 0 : sourceMemory.totalBytes());
        long have = MemoryEstimate.deviceBytes(runtime.djlDevice());
        if (need > have) {
            throw new ModelLoadException(study.file() + ": the models need about " + MemoryEstimate.gib(need) + " in "
                    + targetMemory.dtype() + " (target " + targetMemory.describe()
                    + (sourceMemory == null ? "" : ", source " + sourceMemory.describe()) + ") but " + runtime.device()
                    + " has " + MemoryEstimate.gib(have) + (targetMemory.dtype().equals("float32") ? "; float16 halves the weights (--dtype float16)" : ""));
        }
        return new Checked(study, target, source, targetMemory, sourceMemory);
    }

    /**
     * LLM to VLM transfer needs the same residual space: equal layer counts and hidden sizes.
     * A mismatch is a StudyInputException naming both models.
     */
    public static void requireTransferable(String source, int sourceLayers, int sourceHidden,
                                           String target, int targetLayers, int targetHidden) {
        if (sourceLayers != targetLayers || sourceHidden != targetHidden) {
            throw new StudyInputException("cannot patch vectors of " + source + " (" + sourceLayers + " layers, hidden size "
                    + sourceHidden + ") into " + target + " (" + targetLayers + " layers, hidden size " + targetHidden
                    + "): layer counts and hidden sizes must match");
        }
    }
}
