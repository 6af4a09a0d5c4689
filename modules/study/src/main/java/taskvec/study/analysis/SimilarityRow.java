package taskvec.study.analysis;

/** Cosine similarity of two labelled task vectors at one layer. */
public record SimilarityRow(int layer, VectorLabel a, VectorLabel b, double cosine) {}
