package taskvec.workflow.stage;

import java.util.List;

/** The study's stages in the order they run: the one list the routes, the plan, status and explain are made from. */
public final class Stages {
    private Stages() {}

    public static final List<Stage> ALL = List.of(new PrepareStage(), new CaptureStage(), new AverageStage(), new EnsembleStage(),
            new EvaluateStage(), new AnalyzeStage(), new ReportStage());

    public static List<String> names() {
        return ALL.stream().map(Stage::name).toList();
    }

    public static Stage named(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no stage " + name + " (stages: " + String.join(", ", names()) + ")"));
    }
}
