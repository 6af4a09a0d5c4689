package taskvec.organism.facts;

import java.util.Map;

/** One line of a domain's facts file: an entity with its name, the answers of its domain's two tasks, and its split. */
public record Entity(String domain, String id, String input, Map<String, String> answers, String split) {

    /** The image's path relative to the data root, as the annotation files write it. */
    public String imagePath() {
        return "images/" + domain + "/" + id + ".png";
    }
}
