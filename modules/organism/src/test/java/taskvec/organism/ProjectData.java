package taskvec.organism;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the project's data folders are when tests run (surefire's working directory is the module). */
public final class ProjectData {

    private ProjectData() {
    }

    public static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("data/tasks/facts"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no data/tasks/facts above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    public static Path tasks() {
        return root().resolve("data/tasks");
    }
}
