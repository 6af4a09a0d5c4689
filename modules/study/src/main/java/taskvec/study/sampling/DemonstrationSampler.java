package taskvec.study.sampling;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import taskvec.study.StudyInputException;
import taskvec.study.data.Split;
import taskvec.study.data.TaskItem;

/**
 * Picks the N demonstrations for one query: a deterministic function of (task, seed, split,
 * query id) and of the set of candidate ids. Candidates are sorted by id before drawing, so the
 * order in which the pool was read does not matter; the query item is never a candidate.
 */
public final class DemonstrationSampler {
    private DemonstrationSampler() {}

    /** The N demonstrations for a query, in prompt order. */
    public static List<TaskItem> sample(String task, int seed, Split split, String queryId, List<TaskItem> pool, int n) {
        List<TaskItem> candidates = new ArrayList<>(pool.size());
        for (TaskItem item : pool) {
            if (!item.id().equals(queryId)) candidates.add(item);
        }
        candidates.sort(Comparator.comparing(TaskItem::id));
        if (candidates.size() < n) {
            throw new StudyInputException("task '" + task + "' " + split.fileName() + ": needs " + n
                    + " demonstrations besides item '" + queryId + "' but has only " + candidates.size() + " other items");
        }
        SplittableRandom random = KeyedRandom.forKey("demos", task, seed, split.fileName(), queryId);
        List<TaskItem> out = new ArrayList<>(n);
        for (int i : KeyedRandom.choose(random, candidates.size(), n)) out.add(candidates.get(i));
        return List.copyOf(out);
    }

    /** The ids of items, in order (what a run records). */
    public static List<String> ids(List<TaskItem> items) {
        return items.stream().map(TaskItem::id).toList();
    }
}
