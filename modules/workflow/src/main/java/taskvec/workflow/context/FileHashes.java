package taskvec.workflow.context;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * SHA-256 of input files for keys. A missing file hashes to "missing" so a key can still be
 * computed (the item that needs the file then fails and its key changes once the file is back).
 * Hashes are remembered per (path, size, mtime) for the life of the process.
 */
public final class FileHashes {
    public static final String MISSING = "missing";
    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private FileHashes() {}

    public static String sha256(Path file) {
        if (!Files.isRegularFile(file)) return MISSING;
        try {
            String stamp = file.toAbsolutePath() + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file).toMillis();
            return CACHE.computeIfAbsent(stamp, k -> digest(file));
        } catch (IOException e) {
            return MISSING;
        }
    }

    private static String digest(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            byte[] buf = new byte[1 << 16];
            while (in.read(buf) >= 0) {
                // the digest stream hashes as it reads
            }
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("hashing " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every regular file directly in a folder (a model folder), by name. */
    public static Map<String, String> folder(Path dir) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(Files::isRegularFile).forEach(f -> out.put(f.getFileName().toString(), sha256(f)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("listing " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }
}
