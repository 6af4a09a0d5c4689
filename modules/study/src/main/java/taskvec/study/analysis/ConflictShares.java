package taskvec.study.analysis;

/** Shares of answers that follow the patched task, the prompted task, or neither, over n answers. */
public record ConflictShares(int n, double patched, double prompted, double neither) {}
