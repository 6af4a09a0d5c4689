package taskvec.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import taskvec.workflow.stage.Stages;

/** StudyRoutes with recording doubles for the beans: the stage order, the steps, the one error handler. */
class StudyRoutesTest {

    /** Stands in for StageSteps and RunSteps; records "bean.method". */
    public static final class Recorder {
        final String name;
        final List<String> calls;
        final String failOn;

        Recorder(String name, List<String> calls, String failOn) {
            this.name = name;
            this.calls = calls;
            this.failOn = failOn;
        }

        private RunRef call(String method, RunRef run) {
            calls.add(name + "." + method);
            if ((name + "." + method).equals(failOn)) throw new IllegalStateException("the store went away");
            return run;
        }

        public RunRef plan(RunRef r) { return call("plan", r); }
        public RunRef work(RunRef r) { return call("work", r); }
        public RunRef planFollowUp(RunRef r) { return call("planFollowUp", r); }
        public RunRef close(RunRef r) { return call("close", r); }
        public RunRef begin(RunRef r) { return call("begin", r); }
        public RunRef finish(RunRef r) { return call("finish", r); }
        public RunRef crashed(RunRef r) { return call("crashed", r); }
    }

    private static CamelContext routes(List<String> calls, String failOn) throws Exception {
        CamelContext c = new DefaultCamelContext();
        c.getRegistry().bind("runs", new Recorder("runs", calls, failOn));
        for (String stage : Stages.names()) c.getRegistry().bind(stage, new Recorder(stage, calls, failOn));
        c.addRoutes(new StudyRoutes());
        c.start();
        return c;
    }

    @Test
    void theStagesRunInTheStudysOrderEachPlannedWorkedAndClosed() throws Exception {
        List<String> calls = new ArrayList<>();
        try (CamelContext c = routes(calls, null)) {
            c.createProducerTemplate().requestBody("direct:study", new RunRef(7));
        }
        List<String> expected = new ArrayList<>(List.of("runs.begin"));
        for (String stage : Stages.names()) {
            expected.add(stage + ".plan");
            expected.add(stage + ".work");
            if (stage.equals("evaluate")) {
                expected.add("evaluate.planFollowUp");
                expected.add("evaluate.work");
            }
            expected.add(stage + ".close");
        }
        expected.add("runs.finish");
        assertEquals(expected, calls);
    }

    @Test
    void aStageThatThrowsEndsTheRunThroughTheOneErrorHandlerAndTheCallerSeesTheCause() throws Exception {
        List<String> calls = new ArrayList<>();
        try (CamelContext c = routes(calls, "average.work")) {
            CamelExecutionException e = assertThrows(CamelExecutionException.class,
                    () -> c.createProducerTemplate().requestBody("direct:study", new RunRef(7)));
            assertTrue(e.getCause().getMessage().contains("the store went away"));
        }
        assertTrue(calls.contains("runs.crashed"), calls.toString());
        assertTrue(!calls.contains("ensemble.plan") && !calls.contains("runs.finish"), "nothing after the failed stage: " + calls);
    }
}
