package taskvec.study.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class Pca2dTest {

    @Test
    void firstAxisFollowsTheLargestSpreadAndDistancesSurvive() {
        // points on a line along (1, 1, 0) with a small spread along z
        List<float[]> pts = List.of(new float[] {-2, -2, 0.1f}, new float[] {-1, -1, -0.1f},
                new float[] {1, 1, -0.1f}, new float[] {2, 2, 0.1f});
        double[][] xy = Pca2d.project(pts);
        assertEquals(4, xy.length);
        assertEquals(2 * Math.sqrt(2), Math.abs(xy[3][0]), 1e-4);
        assertEquals(-xy[3][0], xy[0][0], 1e-4);
        assertEquals(0.1, Math.abs(xy[0][1]), 1e-4);
        assertTrue(Math.abs(xy[0][0]) > Math.abs(xy[1][0]));
    }

    @Test
    void refusesASinglePoint() {
        assertThrows(IllegalArgumentException.class, () -> Pca2d.project(List.of(new float[] {1, 2})));
    }
}
