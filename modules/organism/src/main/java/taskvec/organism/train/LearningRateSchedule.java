package taskvec.organism.train;

/** Linear warm-up to the peak rate, then cosine decay to minRatio x peak at the last step. */
record LearningRateSchedule(double peak, int warmup, int steps, double minRatio) {

    /** The rate for step (0-based). */
    double at(int step) {
        if (step < warmup) {
            return peak * (step + 1) / warmup;
        }
        double progress = steps <= warmup ? 1 : (double) (step - warmup) / Math.max(1, steps - warmup - 1);
        double cosine = 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress)));
        return peak * (minRatio + (1 - minRatio) * cosine);
    }
}
