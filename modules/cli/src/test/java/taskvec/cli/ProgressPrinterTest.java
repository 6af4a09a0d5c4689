package taskvec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {

    @Test
    void aTerminalGetsABarWithAnEtaFromTheRateSoFar() {
        StringWriter err = new StringWriter();
        AtomicLong nanos = new AtomicLong();
        ProgressPrinter p = new ProgressPrinter(new PrintWriter(err), true, false, nanos::get);
        p.progress(1, "capture", 0, 10);
        nanos.set(20_000_000_000L); // 2 items in 20 s: 8 left take 80 s
        p.progress(1, "capture", 2, 10);
        String last = err.toString().substring(err.toString().lastIndexOf('\r') + 1);
        assertEquals("capture   [######                        ] 2/10 ETA 1:20", last.strip());
        p.stageEnded(1, "capture", "10 done");
        assertTrue(err.toString().endsWith("capture   10 done" + System.lineSeparator()), err.toString());
    }

    @Test
    void elsewhereOnlyStageEndsAndQuietNothing() {
        StringWriter log = new StringWriter();
        ProgressPrinter pipe = new ProgressPrinter(new PrintWriter(log), false, false, System::nanoTime);
        pipe.progress(1, "capture", 3, 10);
        pipe.stageEnded(1, "capture", "10 done");
        assertEquals("capture   10 done" + System.lineSeparator(), log.toString());

        StringWriter quiet = new StringWriter();
        ProgressPrinter q = new ProgressPrinter(new PrintWriter(quiet), true, true, System::nanoTime);
        q.progress(1, "capture", 3, 10);
        q.stageEnded(1, "capture", "10 done");
        assertEquals("", quiet.toString());
    }

    @Test
    void noEtaBeforeAnItemFinishes() {
        assertEquals("", ProgressPrinter.eta(5_000_000_000L, 0, 10));
        assertEquals(" ETA 0:05", ProgressPrinter.eta(5_000_000_000L, 1, 1));
    }
}
