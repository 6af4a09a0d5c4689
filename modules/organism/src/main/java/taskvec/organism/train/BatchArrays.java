package taskvec.organism.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import taskvec.organism.facts.Entity;
import taskvec.organism.tokenizer.WordVocabulary;

import java.util.ArrayList;
import java.util.List;

/**
 * A batch of sequences as arrays: ids padded at the end (causal attention never looks right, so the padding
 * changes nothing before it), the row of each position in [token embeddings; image features], the pixels, one
 * additive mask per decoder layer, and the positions and ids of the targets.
 */
final class BatchArrays {

    /** The image token's id: WordVocabulary puts the special tokens first, in a fixed order. */
    static final int IMAGE_TOKEN_ID = WordVocabulary.SPECIAL.indexOf(WordVocabulary.IMAGE);

    final NDArray ids;          // (B, T) int64
    final NDArray imageIndex;   // (B*T) int64, or null without images
    final NDArray pixels;       // (N, 3, H, W), or null
    final NDArray[] masks;      // per layer (B, 1, T, T)
    final long[] targetRows;    // flattened positions b*T+t that carry a target
    final int[] targetIds;
    final int[] lastRows;       // flattened position of each sequence's last token
    final int batch;
    final int length;

    interface PixelSource {
        float[] pixels(Entity e);
    }

    /**
     * @param blockLayers for the knock-out diagnostic: in decoder layers below this, each sequence's final answer
     *                    delimiter may not attend its query (each sequence's own lateRead applies to all its reads)
     */
    BatchArrays(NDManager m, List<TrainingSequence> seqs, int numLayers, int imageSize, PixelSource source, int blockLayers) {
        batch = seqs.size();
        int t = 0;
        for (TrainingSequence s : seqs) {
            t = Math.max(t, s.length());
        }
        length = t;
        long[] idArray = new long[batch * t];
        long[] index = new long[batch * t];
        List<Long> rows = new ArrayList<>();
        List<Integer> tids = new ArrayList<>();
        List<float[]> pictures = new ArrayList<>();
        lastRows = new int[batch];
        int k = 0;
        for (int b = 0; b < batch; b++) {
            TrainingSequence s = seqs.get(b);
            lastRows[b] = b * t + s.length() - 1;
            for (Entity e : s.images()) {
                pictures.add(source.pixels(e));
            }
            for (int i = 0; i < t; i++) {
                int flat = b * t + i;
                idArray[flat] = i < s.length() ? s.ids()[i] : 0;
                index[flat] = flat;
                if (i < s.length() && s.ids()[i] == IMAGE_TOKEN_ID) {
                    index[flat] = (long) batch * t + k++; // the k-th image feature row, in row-major order
                }
                if (i < s.length() && s.targets()[i] >= 0) {
                    rows.add((long) flat);
                    tids.add(s.targets()[i]);
                }
            }
        }
        ids = m.create(idArray, new Shape(batch, t));
        if (pictures.isEmpty()) {
            pixels = null;
            imageIndex = null;
        } else {
            int plane = 3 * imageSize * imageSize;
            float[] all = new float[pictures.size() * plane];
            for (int i = 0; i < pictures.size(); i++) {
                System.arraycopy(pictures.get(i), 0, all, i * plane, plane);
            }
            pixels = m.create(all, new Shape(pictures.size(), 3, imageSize, imageSize));
            imageIndex = m.create(index, new Shape((long) batch * t));
        }
        masks = new NDArray[numLayers];
        for (int l = 0; l < numLayers; l++) {
            masks[l] = mask(m, seqs, t, l, blockLayers);
        }
        targetRows = rows.stream().mapToLong(Long::longValue).toArray();
        targetIds = tids.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Causal, plus the late-read block (every delimiter) and the knock-out (the final delimiter) in early layers. */
    private static NDArray mask(NDManager m, List<TrainingSequence> seqs, int t, int layer, int blockLayers) {
        float[] mask = new float[seqs.size() * t * t];
        for (int b = 0; b < seqs.size(); b++) {
            int base = b * t * t;
            for (int q = 0; q < t; q++) {
                for (int key = q + 1; key < t; key++) {
                    mask[base + q * t + key] = OrganismNetwork.BLOCKED;
                }
            }
            TrainingSequence s = seqs.get(b);
            for (int i = 0; i < s.reads().size(); i++) {
                TrainingSequence.QueryRead r = s.reads().get(i);
                boolean last = i == s.reads().size() - 1;
                if (layer < s.lateRead() || (last && layer < blockLayers)) {
                    for (int key = r.queryStart(); key < r.queryEnd(); key++) {
                        mask[base + r.delimiter() * t + key] = OrganismNetwork.BLOCKED;
                    }
                }
            }
        }
        return m.create(mask, new Shape(seqs.size(), 1, t, t));
    }
}
