package taskvec.cli;

import java.util.Map;
import picocli.CommandLine;
import taskvec.workflow.context.Provenance;

/** {@code taskvec --version}: the project version and git commit, and the engine as the running system loads it. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        Map<String, Object> engine = Provenance.engine();
        return new String[] {
            Provenance.describe(),
            "DJL " + engine.get("djl") + ", " + engine.get("engine") + " " + engine.get("engine_version") + " (libtorch, "
                    + engine.get("flavor") + ")",
        };
    }
}
