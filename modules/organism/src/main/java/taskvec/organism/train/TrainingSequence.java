package taskvec.organism.train;

import taskvec.organism.facts.Entity;

import java.util.List;

/**
 * One training or evaluation sequence, already tokenized and image-expanded.
 *
 * @param ids         token ids, BOS first; each image occupies imageFeatureCount positions of the image token
 * @param targets     for position i, the id the model must predict there (the token at i+1), or -1 when that
 *                    position carries no loss (only answer tokens are learned)
 * @param images      the pictured entities, in the order their positions appear
 * @param reads       for each answer delimiter: its position and its own query's token span [start, end)
 * @param lateRead    the number of first decoder layers in which each delimiter may not attend its query (0: none)
 */
public record TrainingSequence(int[] ids, int[] targets, List<Entity> images, List<QueryRead> reads, int lateRead) {

    /** An answer delimiter ':' and the tokens of the query it answers. */
    public record QueryRead(int delimiter, int queryStart, int queryEnd) {
    }

    public int length() {
        return ids.length;
    }
}
