package taskvec.workflow.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** The items planned so far, stage by stage: a stage's keys name the keys of the earlier items whose outputs it reads. */
public final class PlannedStages {
    private final Map<String, List<PlannedItem>> byStage = new LinkedHashMap<>();

    public void put(String stage, List<PlannedItem> items) {
        byStage.put(stage, List.copyOf(items));
    }

    public List<PlannedItem> items(String stage) {
        List<PlannedItem> items = byStage.get(stage);
        if (items == null) throw new IllegalStateException("stage " + stage + " is not planned yet");
        return items;
    }

    /** The planned items of a type that match, in plan order. */
    public <T extends StageItem> List<PlannedItem> all(Class<T> type, Predicate<T> match) {
        List<PlannedItem> out = new ArrayList<>();
        for (List<PlannedItem> items : byStage.values()) {
            for (PlannedItem i : items) {
                if (type.isInstance(i.what()) && match.test(type.cast(i.what()))) out.add(i);
            }
        }
        return out;
    }

    /** The one planned item equal to {@code what}. */
    public Optional<PlannedItem> find(StageItem what) {
        for (List<PlannedItem> items : byStage.values()) {
            for (PlannedItem i : items) if (i.what().equals(what)) return Optional.of(i);
        }
        return Optional.empty();
    }

    /** The key hash of the planned item equal to {@code what}; an error if it is not planned. */
    public String keyOf(StageItem what) {
        return find(what).orElseThrow(() -> new IllegalStateException("not planned: " + what)).key().hash();
    }
}
