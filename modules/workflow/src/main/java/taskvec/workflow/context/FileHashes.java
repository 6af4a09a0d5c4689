package taskvec.workflow.context;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import taskvec.model.files.FileDigests;

/**
 * SHA-256 of input files for keys. A missing file hashes to "missing" so a key can still be
 * computed (the item that needs the file then fails and its key changes once the file is back).
 * {@link FileDigests} reads each file version in full at most once (Hugging Face cache blobs not at all).
 */
public final class FileHashes {
    public static final String MISSING = "missing";

    private FileHashes() {}

    public static String sha256(Path file) {
        if (!Files.isRegularFile(file)) return MISSING;
        return FileDigests.sha256(file);
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
