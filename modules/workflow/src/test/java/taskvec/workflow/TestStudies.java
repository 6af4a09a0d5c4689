package taskvec.workflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Small study files over a private copy of data/fixture-study, for tests that damage or change inputs. */
final class TestStudies {
    static final Path ROOT = Path.of(System.getProperty("taskvec.root", "../..")).toAbsolutePath().normalize();
    static final Path MODEL = ROOT.resolve("modules/model/src/test/resources/fixtures/llava-clip-llama/model");

    private TestStudies() {}

    /** Copies the fixture dataset to dir/data. */
    static Path copyData(Path dir) throws IOException {
        Path src = ROOT.resolve("data/fixture-study");
        Path dst = dir.resolve("data");
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
        return dst;
    }

    /** One task, one seed, text->image, text examples + instruction + ensemble; {@code extra} lines override. */
    static Path small(Path dir, String name, Path data, Path model, String extra) throws IOException {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, """
                models: {target: {dir: %s}}
                dataset: {root: %s}
                tasks: [pair-first]
                seeds: [1]
                specifications:
                  text_examples: true
                  image_examples: false
                  instructions: {pair-first: "w30 w31:"}
                modality_pairs: [text->image]
                ensembling: true
                pre_resize_width: null
                %s
                """.formatted(model, data, extra.contains("shots") ? "" : "shots: 3") + extra + "\n");
        return file;
    }
}
