package taskvec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import taskvec.store.Store;
import taskvec.store.repo.SqlConsole;
import taskvec.store.repo.TextTable;

/** {@code taskvec sql "QUERY"} or {@code --file F}: runs SQL against the store and prints what it returns. */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Runs SQL against the store (views: accuracy, best_layer, paper_main_table, run_digest, report_*; see sql/README.md)",
                "and prints the result as an aligned table, or as CSV with --csv. Bad SQL exits with code 2."})
public final class SqlCommand implements Callable<Integer> {

    static final class Source {
        @Parameters(paramLabel = "QUERY", description = "the SQL to run") String query;
        @Option(names = "--file", paramLabel = "FILE", description = "read the SQL from a file") Path file;
    }

    @ArgGroup(multiplicity = "1") Source source;
    @Option(names = "--csv", description = "print CSV (a header line, then one line per row)") boolean csv;
    @Mixin DbOption db;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        String sql = query();
        PrintWriter out = spec.commandLine().getOut();
        try (Store store = Store.open(db.settings())) {
            // a script may hold several statements: every result is printed in turn
            store.sql().run(sql, new SqlConsole.Results() {
                @Override
                public void rows(TextTable table) {
                    if (csv) ResultTable.of(table).printCsv(out);
                    else ResultTable.of(table).printAligned(out);
                }

                @Override
                public void updated(int n) {
                    if (!csv) out.println("(" + n + (n == 1 ? " row affected)" : " rows affected)"));
                }
            });
            out.flush();
            return ExitCodes.OK;
        } catch (SqlConsole.QueryFailedException e) {
            throw new QueryInputException("sql: " + e.getMessage(), e);
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
