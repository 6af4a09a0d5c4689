package taskvec.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import taskvec.study.config.Study;
import taskvec.workflow.context.RunContext;

/**
 * A study whose every input passed the checks, with its models loaded and every stage planned,
 * made without any database ({@link StudyWorkflow#check}); {@link StudyWorkflow#create} records it as a run.
 * Closing it frees the models unless a run took them over.
 */
public final class CheckedStudy implements AutoCloseable {
    private final Path file;
    private final JsonNode tree;
    private final Path baseDir;
    private final RunContext planning;
    private boolean handedOver;

    CheckedStudy(Path file, JsonNode tree, Path baseDir, RunContext planning) {
        this.file = file;
        this.tree = tree;
        this.baseDir = baseDir;
        this.planning = planning;
    }

    public Path file() {
        return file;
    }

    public Study study() {
        return planning.study();
    }

    JsonNode tree() {
        return tree;
    }

    Path baseDir() {
        return baseDir;
    }

    RunContext planning() {
        return planning;
    }

    /** The run's context now owns the models. */
    void handOver() {
        handedOver = true;
    }

    @Override
    public void close() {
        if (!handedOver) planning.close();
    }
}
