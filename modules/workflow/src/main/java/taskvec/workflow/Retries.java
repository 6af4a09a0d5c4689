package taskvec.workflow;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.sql.SQLException;

/**
 * Which item failures are worth another attempt. An item is a function of its inputs, so the same
 * exception comes back for the same input: bad input, a missing file, a bug. Only faults on the way
 * can go away: the database connection (SQLException) or an I/O error that is not a missing or
 * unreadable file, nor inside an exception that reports bad input. Everything else is attempted once and marked failed with its error.
 */
final class Retries {
    private Retries() {}

    static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // bad input (StudyInputException, ImageInputException, ModelLoadException, ...), whatever it wraps: a corrupt
            // image is an IIOException inside an ImageInputException, and it stays corrupt
            String name = t.getClass().getSimpleName();
            if (name.endsWith("InputException") || name.endsWith("LoadException")) return false;
            if (t instanceof SQLException) return true;
            if (t instanceof NoSuchFileException || t instanceof FileNotFoundException || t instanceof AccessDeniedException) return false;
            if (t instanceof IOException) return true;
        }
        return false;
    }
}
