package taskvec.cli.common;

import picocli.CommandLine.Option;
import taskvec.store.DbSettings;

/** The shared --db option: another PostgreSQL server instead of the embedded one of TASKVEC_HOME. */
public final class DbOption {

    @Option(names = "--db", paramLabel = "URL",
            description = "PostgreSQL JDBC URL (jdbc:postgresql://HOST:PORT/DB?user=...) to use instead of the"
                    + " embedded server of TASKVEC_HOME; default: $TASKVEC_DB, else the embedded server.")
    String url;

    public DbSettings settings() {
        return DbSettings.resolve(url);
    }
}
