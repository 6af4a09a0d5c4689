package taskvec.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules of the code base, checked on the sources: SQL lives in modules/store (the workflow and
 * the CLI call repositories), and no two packages depend on each other, directly or around a
 * loop.
 */
class SourceRulesTest {
    private static final Path ROOT = Path.of(System.getProperty("taskvec.root", "../.."));
    /** JDBC statements, or SQL text in a string literal. */
    private static final Pattern SQL = Pattern.compile("prepareStatement|createStatement|executeQuery|\"[^\"]*\\b(SELECT\\s+\\S+.*\\bFROM|INSERT INTO|"
            + "UPDATE\\s+\\w+\\s+SET|DELETE FROM)\\b");
    private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\n]*", Pattern.DOTALL);
    /** A qualified name or import of a taskvec type, or an on-demand import of a taskvec package. */
    private static final Pattern REFERENCE = Pattern.compile("\\b(taskvec(?:\\.[a-z0-9]+)+)\\.(?:[A-Z]|\\*;)");

    @Test
    void theWorkflowAndTheCliHoldNoSql() throws IOException {
        List<String> found = new ArrayList<>();
        for (String module : List.of("workflow", "cli")) {
            for (Path file : javaFiles(ROOT.resolve("modules").resolve(module).resolve("src/main/java"))) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (SQL.matcher(lines.get(i)).find()) found.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
                }
            }
        }
        assertEquals(List.of(), found, "SQL belongs in modules/store");
    }

    /** Every module's packages, a module added later included. */
    @Test
    void noPackageDependsOnItselfAroundALoop() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> modules = Files.list(ROOT.resolve("modules"))) {
            for (Path module : modules.sorted().toList()) {
                Path sources = module.resolve("src/main/java");
                if (Files.isDirectory(sources)) files.addAll(javaFiles(sources));
            }
        }
        assertTrue(files.size() > 300, "the module sources under " + ROOT.toAbsolutePath() + " (found " + files.size() + " files)");
        List<String> report = cycles(files);
        assertTrue(report.isEmpty(), "packages that depend on each other (move a type so the dependency points one way):\n"
                + String.join("\n", report));
    }

    @Test
    void aLoopIsReportedWithItsPackagesAndTheFilesThatCloseIt(@TempDir Path dir) throws IOException {
        Path a = Files.writeString(dir.resolve("Main.java"), "package taskvec.cli;\nimport taskvec.cli.model.ModelCommand;\nclass Main {}\n");
        Path b = Files.writeString(dir.resolve("ModelCommand.java"),
                "package taskvec.cli.model;\n/** {@link taskvec.cli.Main} */\nclass ModelCommand { taskvec.cli.Exit e; }\n");
        Path c = Files.writeString(dir.resolve("Doc.java"), "package taskvec.cli.doc;\n/** see taskvec.cli.Main */\nclass Doc {}\n");
        assertEquals(List.of("cycle [taskvec.cli, taskvec.cli.model]:",
                "  taskvec.cli -> taskvec.cli.model in [Main.java]",
                "  taskvec.cli.model -> taskvec.cli in [ModelCommand.java]"), cycles(List.of(a, b, c)));
    }

    /** Each loop of package dependencies among the files: its packages, then each edge in it with the files making it. */
    private static List<String> cycles(List<Path> files) throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        Map<String, Set<String>> why = new HashMap<>(); // "a -> b" to the files of a that use b
        for (Path file : files) {
            String text = COMMENTS.matcher(Files.readString(file)).replaceAll(" "); // a doc link is not a dependency
            Matcher pkg = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE).matcher(text);
            if (!pkg.find()) continue;
            Set<String> out = uses.computeIfAbsent(pkg.group(1), k -> new TreeSet<>());
            Matcher ref = REFERENCE.matcher(text);
            while (ref.find()) {
                if (ref.group(1).equals(pkg.group(1))) continue;
                out.add(ref.group(1));
                why.computeIfAbsent(pkg.group(1) + " -> " + ref.group(1), k -> new TreeSet<>()).add(file.getFileName().toString());
            }
        }
        List<String> report = new ArrayList<>();
        for (List<String> found : new Cycles(uses).find()) {
            List<String> cycle = found.stream().sorted().toList();
            report.add("cycle " + cycle + ":");
            for (String from : cycle) {
                for (String to : cycle) {
                    Set<String> in = why.get(from + " -> " + to);
                    if (in != null) report.add("  " + from + " -> " + to + " in " + in);
                }
            }
        }
        return report;
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".java") && !p.toString().contains("/target/")).sorted().toList();
        }
    }

    /** Tarjan's strongly connected components: every component of more than one package is a cycle. */
    private static final class Cycles {
        private final Map<String, Set<String>> graph;
        private final Map<String, Integer> index = new HashMap<>(), low = new HashMap<>();
        private final List<String> stack = new ArrayList<>();
        private final List<List<String>> cycles = new ArrayList<>();
        private int next;

        Cycles(Map<String, Set<String>> graph) {
            this.graph = graph;
        }

        List<List<String>> find() {
            for (String v : graph.keySet()) if (!index.containsKey(v)) visit(v);
            return cycles;
        }

        private void visit(String v) {
            index.put(v, next);
            low.put(v, next++);
            stack.add(v);
            for (String w : graph.getOrDefault(v, Set.of())) {
                if (!graph.containsKey(w)) continue;
                if (!index.containsKey(w)) {
                    visit(w);
                    low.put(v, Math.min(low.get(v), low.get(w)));
                } else if (stack.contains(w)) {
                    low.put(v, Math.min(low.get(v), index.get(w)));
                }
            }
            if (low.get(v).equals(index.get(v))) {
                List<String> component = new ArrayList<>();
                String w;
                do {
                    w = stack.remove(stack.size() - 1);
                    component.add(w);
                } while (!w.equals(v));
                if (component.size() > 1) cycles.add(component);
            }
        }
    }
}
