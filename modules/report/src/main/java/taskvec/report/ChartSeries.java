package taskvec.report;

import java.util.List;

/** A named line of points. */
record ChartSeries(String name, List<ChartPoint> points) {}
