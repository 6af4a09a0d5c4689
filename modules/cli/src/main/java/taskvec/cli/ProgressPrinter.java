package taskvec.cli;

import java.io.PrintWriter;
import taskvec.workflow.ProgressListener;

/**
 * Progress bars on stderr: redrawn in place on a terminal, one line per stage end otherwise (so
 * logs and pipes stay readable).
 */
final class ProgressPrinter implements ProgressListener {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final boolean terminal = System.console() != null;
    private String lastLine = "";

    ProgressPrinter(PrintWriter err) {
        this.err = err;
    }

    @Override
    public synchronized void progress(long runId, String stage, int finished, int total) {
        if (!terminal || total == 0) return;
        int filled = (int) Math.round(WIDTH * (double) finished / total);
        String line = String.format("%-9s [%s%s] %d/%d", stage, "#".repeat(filled), " ".repeat(WIDTH - filled), finished, total);
        if (line.equals(lastLine)) return;
        lastLine = line;
        err.print("\r" + line);
        err.flush();
    }

    @Override
    public synchronized void stageEnded(long runId, String stage, String summary) {
        if (terminal) err.print("\r" + " ".repeat(lastLine.length()) + "\r");
        err.println(String.format("%-9s %s", stage, summary));
        err.flush();
        lastLine = "";
    }
}
