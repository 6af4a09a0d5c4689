package taskvec.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Axis ticks stay few and finite, also for values equal up to rounding. */
class AxisTest {

    @Test
    void valuesEqualUpToRoundingGetAFewTicks() {
        // LLM->VLM cosines of a source whose decoder is the target's: 1 within a few ulps
        Axis axis = Axis.over(List.of(1.0, Math.nextUp(1.0), Math.nextDown(1.0)), 0, 100, false);
        List<Double> ticks = axis.ticks(false);
        assertTrue(ticks.size() >= 2 && ticks.size() <= 12, "ticks " + ticks);
        assertTrue(axis.min < 1 && axis.max > 1);
    }

    @Test
    void anOrdinaryRangeGetsRoundTicks() {
        List<Double> ticks = Axis.over(List.of(0.12, 0.87), 0, 100, false).ticks(false);
        assertTrue(ticks.size() >= 3 && ticks.size() <= 8, "ticks " + ticks);
        assertTrue(ticks.contains(0.2) || ticks.contains(0.4), "ticks " + ticks);
    }
}
