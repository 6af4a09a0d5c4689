package taskvec.store.server;

import java.nio.file.Path;

/**
 * The embedded server's {@code pg_hba.conf}, written on every start: TCP only (the server has no
 * Unix socket), every client authenticated by password with scram-sha-256, from loopback -- and
 * from any address when the server listens for other hosts ({@code taskvec db start --listen}).
 * initdb's default would trust every local connection as the superuser.
 */
final class HostBasedAccess {
    private HostBasedAccess() {}

    static void write(Path dataDirectory, boolean otherHosts) {
        StringBuilder hba = new StringBuilder()
                .append("# Written by taskvec on every start of the embedded server; edits are overwritten.\n")
                .append("# TYPE DATABASE USER ADDRESS METHOD\n")
                .append("host all all 127.0.0.1/32 scram-sha-256\n")
                .append("host all all ::1/128 scram-sha-256\n");
        if (otherHosts) {
            hba.append("host all all 0.0.0.0/0 scram-sha-256\n")
               .append("host all all ::/0 scram-sha-256\n");
        }
        PrivateFiles.write(dataDirectory.resolve("pg_hba.conf"), hba.toString());
    }

    /** Whether the file still trusts connections without a password (a data folder made by an older taskvec). */
    static boolean trustsWithoutPassword(Path dataDirectory) {
        try {
            return java.nio.file.Files.readAllLines(dataDirectory.resolve("pg_hba.conf")).stream()
                    .map(String::strip)
                    .filter(l -> !l.startsWith("#") && !l.isEmpty())
                    .anyMatch(l -> l.endsWith(" trust") || l.endsWith("\ttrust"));
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
