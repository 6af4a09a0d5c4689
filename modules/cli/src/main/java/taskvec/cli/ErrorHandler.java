package taskvec.cli;

import java.io.UncheckedIOException;
import picocli.CommandLine;
import taskvec.cli.common.ExitCodes;
import taskvec.store.DatabaseFaults;
import taskvec.store.DatabaseUnavailableException;

/**
 * Prints "file: field: problem" for bad input instead of a stack trace. Any exception whose
 * class name ends in "InputException" or "LoadException", or that is an IllegalArgumentException,
 * counts as bad input. A database that stayed away longer than taskvec waits is a failure of the
 * work (exit 1) with one line saying so. Everything else is an internal error and keeps its stack trace.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        DatabaseUnavailableException away = DatabaseFaults.unavailable(ex);
        if (away != null) {
            cl.getErr().println("taskvec: " + away.getMessage() + "; start it again and resume the run"
                    + " (taskvec resume RUN)");
            return ExitCodes.FAILED;
        }
        if (isBadInput(ex)) {
            cl.getErr().println("taskvec: " + ex.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        cl.getErr().println("taskvec: internal error: " + ex);
        ex.printStackTrace(cl.getErr());
        return ExitCodes.INTERNAL_ERROR;
    }

    static boolean isBadInput(Throwable ex) {
        if (ex instanceof UncheckedIOException u && u.getCause() != null) ex = u.getCause();
        String name = ex.getClass().getSimpleName();
        return ex instanceof IllegalArgumentException
                || name.endsWith("InputException")
                || name.endsWith("LoadException")
                || ex instanceof java.nio.file.NoSuchFileException;
    }
}
