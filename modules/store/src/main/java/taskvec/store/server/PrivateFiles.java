package taskvec.store.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Folders and files only their owner may read or change: the taskvec home holds the database,
 * its password and the server binaries taskvec runs, so another user on the machine must not be
 * able to read or replace any of it.
 */
public final class PrivateFiles {
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {}

    /** Creates the folder (and missing parents) or, if it exists, takes group and other rights away. Returns it. */
    public static Path directory(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                if (dir.getParent() != null) Files.createDirectories(dir.getParent());
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
                } catch (FileAlreadyExistsException raced) {
                    // another process made it first: tightened below
                }
            }
            if (!Files.getPosixFilePermissions(dir).equals(OWNER_DIR)) Files.setPosixFilePermissions(dir, OWNER_DIR);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot make a folder private to its owner: " + e.getMessage(), e);
        }
    }

    /** Takes group and other rights away from an existing file (a log or lock made before this rule). */
    public static void tighten(Path file) {
        try {
            if (Files.exists(file) && !Files.getPosixFilePermissions(file).equals(OWNER_FILE)) {
                Files.setPosixFilePermissions(file, OWNER_FILE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot make the file private to its owner: " + e.getMessage(), e);
        }
    }

    /** Creates an empty file readable by its owner only, unless it exists (then it is tightened). */
    public static Path file(Path file) {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_FILE));
        } catch (FileAlreadyExistsException exists) {
            tighten(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot create: " + e.getMessage(), e);
        }
        return file;
    }

    /** Writes the text through a private temporary file moved into place, so the content is never readable by others. */
    public static void write(Path file, String text) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_FILE));
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write: " + e.getMessage(), e);
        }
    }
}
