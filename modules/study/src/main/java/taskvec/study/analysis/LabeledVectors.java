package taskvec.study.analysis;

import taskvec.study.vectors.LayerVectors;

/** A task vector (every layer) with its label. */
public record LabeledVectors(VectorLabel label, LayerVectors vectors) {}
