package taskvec.study.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import taskvec.study.StudyInputException;

/**
 * The items of every task and split, as imported from a dataset root. Image paths in items are
 * relative to {@link #root()}.
 */
public record Dataset(Path root, Map<String, Map<Split, List<TaskItem>>> tasks) {
    public Dataset {
        tasks = Map.copyOf(tasks);
    }

    public Set<String> taskNames() {
        return tasks.keySet();
    }

    public List<TaskItem> items(String task, Split split) {
        Map<Split, List<TaskItem>> splits = tasks.get(task);
        if (splits == null || !splits.containsKey(split)) {
            throw new StudyInputException(root + ": no " + split.fileName() + " split for task '" + task + "'");
        }
        return splits.get(split);
    }

    public TaskItem item(String task, Split split, String id) {
        for (TaskItem item : items(task, split)) {
            if (item.id().equals(id)) return item;
        }
        throw new StudyInputException(root + ": task '" + task + "' " + split.fileName() + " has no item '" + id + "'");
    }

    /** The absolute path of an item's image; a StudyInputException when the item has none. */
    public Path imagePath(TaskItem item) {
        if (!item.hasImage()) {
            throw new StudyInputException(root + ": item '" + item.id() + "' has no image");
        }
        return resolveImage(item.image());
    }

    /** An image path as written in an annotation file, made absolute against the root. */
    public Path resolveImage(String image) {
        Path p = Path.of(image);
        return p.isAbsolute() ? p : root.resolve(p).normalize();
    }
}
