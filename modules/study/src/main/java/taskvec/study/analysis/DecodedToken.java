package taskvec.study.analysis;

/**
 * A token among the top decoded ones at a layer: its rank (1 = first), the share of prompts
 * that had it in their own top k, and its mean probability over those prompts.
 */
public record DecodedToken(int layer, int rank, int tokenId, String token, double share, double meanProbability) {}
