package taskvec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import taskvec.cli.common.DbOption;
import taskvec.cli.common.ExitCodes;
import taskvec.store.Store;
import taskvec.store.sql.SqlConsole;

/** {@code taskvec sql "QUERY"} or {@code --file F}: runs SQL against the store, read-only unless --write, and prints what it returns. */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Runs SQL against the store (views: accuracy, best_layer, paper_main_table, run_digest, report_*; see sql/README.md)",
                "and prints the result as an aligned table, or as CSV with --csv. The script runs in one read-only transaction:",
                "a statement that would change data fails and nothing changes, unless --write is given.",
                ":NAME in the query is a parameter, bound to the value of --set NAME=VALUE (never pasted into the text);",
                "--set run=latest binds the newest run that finished with status done. Bad SQL exits with code 2."})
public final class SqlCommand implements Callable<Integer> {

    static final class Source {
        @Parameters(paramLabel = "QUERY", description = "the SQL to run") String query;
        @Option(names = "--file", paramLabel = "FILE", description = "read the SQL from a file") Path file;
    }

    @ArgGroup(multiplicity = "1") Source source;
    @Option(names = "--csv", description = "print CSV (a header line, then one line per row)") boolean csv;
    @Option(names = "--write", description = "allow statements that change data (committed if the whole script succeeds)") boolean write;
    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "a value for the parameter :NAME (repeatable)")
    Map<String, String> parameters = new LinkedHashMap<>();
    @Mixin DbOption db;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        String sql = query();
        PrintWriter out = spec.commandLine().getOut();
        try (Store store = Store.open(db.settings())) {
            Map<String, String> values = new LinkedHashMap<>(parameters);
            if (RunIds.LATEST.equals(values.get("run"))) values.put("run", Long.toString(RunIds.resolve(store, RunIds.LATEST)));
            List<SqlConsole.Result> results;
            try {
                results = store.sql().run(sql, values, write);
            } catch (SqlConsole.SqlInputException e) {
                throw new QueryInputException("sql: " + e.getMessage(), e);
            }
            for (SqlConsole.Result r : results) {
                if (r.hasRows()) {
                    ResultTable table = new ResultTable(r.columns());
                    r.rows().forEach(table::add);
                    if (csv) table.printCsv(out);
                    else table.printAligned(out);
                } else if (!csv) {
                    int n = r.updateCount();
                    out.println("(" + n + (n == 1 ? " row affected)" : " rows affected)"));
                }
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    private String query() {
        if (source.file == null) return source.query;
        try {
            return Files.readString(source.file);
        } catch (IOException e) {
            throw new QueryInputException(source.file + ": cannot read the query file: " + e, e);
        }
    }
}
