package taskvec.model.image;

import java.util.List;

/**
 * Runs the cases of one processor class in a preprocessing fixture (registered by class name in
 * {@link PreprocessFixture}). A case whose input cannot be processed is a failed result with the
 * reason; a case that makes no sense (a missing field) is a {@link PreprocessFixtureLoadException}.
 */
interface PreprocessCaseHandler {

    List<PreprocessFixture.CaseResult> run(PreprocessCase c);
}
