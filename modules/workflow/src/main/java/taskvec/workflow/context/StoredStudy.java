package taskvec.workflow.context;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import taskvec.store.repo.Run;
import taskvec.study.config.Study;
import taskvec.study.config.StudyFileReader;

/**
 * The study as a run stores it: the file's tree with the model folders and the dataset root made
 * absolute, so a worker on another process parses exactly the study the run started with.
 */
public final class StoredStudy {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StoredStudy() {}

    public static String json(Study study, JsonNode tree, Path base) {
        ObjectNode copy = tree.deepCopy();
        ObjectNode target = (ObjectNode) copy.with("models").with("target");
        target.put("dir", study.models().target().dir().toAbsolutePath().toString());
        if (study.models().source() != null && study.models().source().dir() != null) {
            ((ObjectNode) copy.with("models").with("source")).put("dir", study.models().source().dir().toAbsolutePath().toString());
        }
        copy.with("dataset").put("root", study.datasetRoot().toAbsolutePath().toString());
        ObjectNode stored = JSON.createObjectNode();
        stored.put("file", study.file().toString());
        stored.put("base", base.toAbsolutePath().toString());
        stored.set("study", copy);
        return stored.toString();
    }

    public static Study parse(Run run) {
        try {
            JsonNode stored = JSON.readTree(run.studyJson());
            return StudyFileReader.parse(Path.of(stored.path("file").asText("run-" + run.id())), stored.get("study"),
                    Path.of(stored.path("base").asText(".")));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("run " + run.id() + ": the stored study is not JSON: " + e.getMessage(), e);
        }
    }
}
