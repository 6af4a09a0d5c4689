package taskvec.cli;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import taskvec.workflow.ProgressListener;

/**
 * Progress bars with an ETA on stderr, redrawn in place, only on a terminal; elsewhere (a pipe,
 * a log file, CI) one line per stage end, so logs stay readable. Quiet: nothing at all.
 */
final class ProgressPrinter implements ProgressListener {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final boolean terminal;
    private final boolean quiet;
    private final LongSupplier clock;
    /** when each stage's first progress arrived, and how many items were finished then (reused ones arrive at once) */
    private final Map<String, long[]> starts = new HashMap<>();
    private String lastLine = "";

    ProgressPrinter(PrintWriter err, boolean quiet) {
        this(err, System.console() != null && !"dumb".equals(System.getenv("TERM")), quiet, System::nanoTime);
    }

    ProgressPrinter(PrintWriter err, boolean terminal, boolean quiet, LongSupplier nanoClock) {
        this.err = err;
        this.terminal = terminal;
        this.quiet = quiet;
        this.clock = nanoClock;
    }

    @Override
    public synchronized void progress(long runId, String stage, int finished, int total) {
        if (quiet || !terminal || total == 0) return;
        long now = clock.getAsLong();
        long[] start = starts.computeIfAbsent(stage, s -> new long[] {now, finished});
        int filled = (int) Math.round(WIDTH * (double) finished / total);
        String line = String.format("%-9s [%s%s] %d/%d%s", stage, "#".repeat(filled), " ".repeat(WIDTH - filled), finished, total,
                eta(now - start[0], finished - (int) start[1], total - finished));
        if (line.equals(lastLine)) return;
        String pad = " ".repeat(Math.max(0, lastLine.length() - line.length()));
        lastLine = line;
        err.print("\r" + line + pad);
        err.flush();
    }

    /** " ETA m:ss" from the rate since the stage's first report; blank until an item has finished. */
    static String eta(long elapsedNanos, int doneSinceStart, int left) {
        if (doneSinceStart <= 0 || left <= 0) return "";
        long seconds = Math.round(elapsedNanos / 1e9 / doneSinceStart * left);
        return String.format(" ETA %d:%02d", seconds / 60, seconds % 60);
    }

    @Override
    public synchronized void stageEnded(long runId, String stage, String summary) {
        if (quiet) return;
        if (terminal) err.print("\r" + " ".repeat(lastLine.length()) + "\r");
        err.println(String.format("%-9s %s", stage, summary));
        err.flush();
        lastLine = "";
    }
}
