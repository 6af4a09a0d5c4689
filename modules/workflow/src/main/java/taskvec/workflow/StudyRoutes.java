package taskvec.workflow;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;
import taskvec.workflow.stage.Stage;
import taskvec.workflow.stage.Stages;

/**
 * The study as Camel routes, made from {@link Stages#ALL}: route "study" runs one route per stage
 * in order between the run's begin and finish. Routes pass the run's id (RunRef), never tensors;
 * every step is a method of a plain bean bound under the stage's name ({@link StageSteps}) or
 * "runs" ({@link RunSteps}). Item failures are retried in the steps and never reach the routes;
 * what does reach them (the store gone, a bug) ends the run through the one error handler.
 */
public final class StudyRoutes extends RouteBuilder {

    @Override
    public void configure() {
        onException(Exception.class).logExhausted(false).bean("runs", "crashed"); // not handled: the run's caller sees the error
        RouteDefinition study = from("direct:study").routeId("study").bean("runs", "begin");
        for (Stage stage : Stages.ALL) study.to("direct:" + stage.name());
        study.bean("runs", "finish");
        for (Stage stage : Stages.ALL) {
            RouteDefinition route = from("direct:" + stage.name()).routeId(stage.name())
                    .bean(stage.name(), "plan")
                    .bean(stage.name(), "work");
            if (stage.followsUp()) route.bean(stage.name(), "planFollowUp").bean(stage.name(), "work");
            route.bean(stage.name(), "close");
        }
    }
}
