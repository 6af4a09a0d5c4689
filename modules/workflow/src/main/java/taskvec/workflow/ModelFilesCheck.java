package taskvec.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/** Compares the models a run recorded (folder, revision, SHA-256 of every file) with the ones this host loads. */
final class ModelFilesCheck {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelFilesCheck() {}

    /** The first difference, said in a line, or empty when both hold the same files. */
    static Optional<String> differences(String recordedJson, String hereJson) {
        try {
            JsonNode recorded = JSON.readTree(recordedJson);
            JsonNode here = JSON.readTree(hereJson);
            for (int i = 0; i < recorded.size(); i++) {
                JsonNode r = recorded.get(i);
                JsonNode h = here.path(i);
                String model = r.path("name").asText("model " + i);
                Iterator<Map.Entry<String, JsonNode>> files = r.path("files").fields();
                while (files.hasNext()) {
                    Map.Entry<String, JsonNode> f = files.next();
                    JsonNode mine = h.path("files").path(f.getKey());
                    if (mine.isMissingNode()) return Optional.of(model + ": " + f.getKey() + " is missing in " + h.path("dir").asText());
                    if (!mine.equals(f.getValue())) {
                        return Optional.of(model + ": " + f.getKey() + " in " + h.path("dir").asText()
                                + " differs from the run's (SHA-256 " + f.getValue().asText() + ")");
                    }
                }
            }
            return Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.of("the run's model record is not JSON: " + e.getMessage());
        }
    }
}
