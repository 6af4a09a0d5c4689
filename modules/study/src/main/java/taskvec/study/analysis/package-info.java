/**
 * The paper's analyses as pure functions over the runtime's results: the three phases by logit
 * lens ({@link taskvec.study.analysis.PhaseLens}), similarity of task vectors
 * ({@link taskvec.study.analysis.VectorSimilarity}) and their 2-D map
 * ({@link taskvec.study.analysis.Pca2d}), and task conflict
 * ({@link taskvec.study.analysis.ConflictTally}). Nothing here touches a database: the workflow
 * stores the rows these functions return.
 */
package taskvec.study.analysis;
