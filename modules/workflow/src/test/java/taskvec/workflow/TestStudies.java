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
        String base = """
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
                shots: 3
                """.formatted(model, data);
        Files.writeString(file, withoutKeysOf(base, extra) + extra + "\n");
        return file;
    }

    /** The base study without the top-level keys that extra sets (a study file may not repeat a key). */
    private static String withoutKeysOf(String base, String extra) {
        java.util.Set<String> overridden = new java.util.HashSet<>();
        for (String line : extra.split("\n")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^([A-Za-z_]+):").matcher(line);
            if (m.find()) overridden.add(m.group(1));
        }
        StringBuilder out = new StringBuilder();
        boolean skipping = false;
        for (String line : base.split("\n")) {
            boolean topLevel = !line.startsWith(" ");
            if (topLevel) skipping = overridden.contains(line.substring(0, Math.max(0, line.indexOf(':'))));
            if (!skipping) out.append(line).append('\n');
        }
        return out.toString();
    }
}
