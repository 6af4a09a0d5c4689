/**
 * The study protocol of "Task Vectors are Cross-Modal" as plain functions over the model runtime.
 * The steps, each a function of explicit inputs with JSON-serializable outputs (the workflow runs
 * them as stages and passes ids; {@link taskvec.study.eval.InMemoryStudy} chains them in memory):
 *
 * <ol>
 *   <li>read the study: {@link taskvec.study.config.StudyFileReader#read} -> {@link taskvec.study.config.Study};
 *       the data: {@link taskvec.study.data.DatasetImporter#load} -> {@link taskvec.study.data.Dataset}</li>
 *   <li>build prompts: {@link taskvec.study.prompt.PromptPlanner} (source, context, query, instruction, or
 *       {@code studyPrompts} for all) -> {@link taskvec.study.prompt.PlannedPrompt}; demonstrations from
 *       {@link taskvec.study.sampling.DemonstrationSampler} (keyed by task, seed, split, item)</li>
 *   <li>resolve positions: {@link taskvec.study.prompt.PromptTokens#resolve} (tokenizer only) or
 *       {@link taskvec.study.prompt.PromptEncoder#resolve} -> {@link taskvec.study.prompt.ResolvedPrompt}
 *       (read = ':' after 'A' of the last demonstration, write = the last token, both checked to be ':')</li>
 *   <li>capture: {@link taskvec.study.vectors.VectorCapture#atRead} (task vectors) /
 *       {@link taskvec.study.vectors.VectorCapture#atWrite} (the additive mode's zero-shot mean) ->
 *       {@link taskvec.study.vectors.LayerVectors} per prompt</li>
 *   <li>average and ensemble: {@link taskvec.study.vectors.VectorMath} (mean, weighted, cosine,
 *       transfer check), {@link taskvec.study.vectors.SampleEfficiency}</li>
 *   <li>evaluate: {@link taskvec.study.eval.Evaluator} (generate; patch = one batched layer sweep per query)
 *       -> {@link taskvec.study.eval.Prediction} scored by {@link taskvec.study.scoring.AnswerScorer}</li>
 *   <li>summarize: {@link taskvec.study.eval.Accuracy} (items -> seeds -> tasks, best layer on val)</li>
 * </ol>
 */
package taskvec.study;
