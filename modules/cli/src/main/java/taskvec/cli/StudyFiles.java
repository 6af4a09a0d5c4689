package taskvec.cli;

import java.nio.file.Path;
import taskvec.study.config.Study;
import taskvec.study.config.StudyFileReader;

/** Reads study files for the CLI: relative paths in them resolve against the taskvec folder (or the current folder). */
final class StudyFiles {
    private StudyFiles() {}

    static Path baseDir() {
        String root = System.getProperty("taskvec.root");
        return root != null ? Path.of(root) : Path.of("").toAbsolutePath();
    }

    static Study read(Path file) {
        return StudyFileReader.read(file, baseDir());
    }
}
