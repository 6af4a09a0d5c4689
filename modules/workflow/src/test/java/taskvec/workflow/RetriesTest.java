package taskvec.workflow;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import taskvec.model.ModelLoadException;
import taskvec.model.image.ImageInputException;
import taskvec.study.StudyInputException;
import taskvec.workflow.context.UpstreamMissingException;

class RetriesTest {

    @Test
    void faultsOnTheWayAreRetried() {
        assertTrue(Retries.isTransient(new IllegalStateException("storing vectors", new SQLException("connection reset"))));
        assertTrue(Retries.isTransient(new UncheckedIOException(new IOException("Input/output error"))));
    }

    @Test
    void whatTheSameInputAlwaysGivesIsNot() {
        assertFalse(Retries.isTransient(new StudyInputException("a.json: [3]: answer 'Zebra' has text the tokenizer does not know")));
        assertFalse(Retries.isTransient(new ImageInputException("images/w12.png: image file does not exist")));
        assertFalse(Retries.isTransient(new ImageInputException("w12.png: cannot decode image", new javax.imageio.IIOException("truncated"))));
        assertFalse(Retries.isTransient(new ModelLoadException("config.json: hidden_size: ...")));
        assertFalse(Retries.isTransient(new UncheckedIOException(new NoSuchFileException("images/w12.png"))));
        assertFalse(Retries.isTransient(new UpstreamMissingException("capture did not finish")));
        assertFalse(Retries.isTransient(new IllegalArgumentException("a bug gives the same exception every time")));
    }
}
