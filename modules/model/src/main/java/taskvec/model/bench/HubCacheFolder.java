package taskvec.model.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Puts a model folder into a Hugging Face hub cache the way {@code huggingface_hub} lays a download out, so
 * benchmarks and tests exercise the cache path without a download: {@code models--ORG--NAME/blobs/} holds each
 * file once, large files named by their SHA-256 (as git LFS objects are) and small ones by their git blob id;
 * {@code snapshots/REVISION/} holds relative symlinks to them; {@code refs/main} names the revision.
 */
public final class HubCacheFolder {

    /** Files at least this big are stored like git LFS objects (named by SHA-256), as the hub does for weights. */
    private static final long LFS_THRESHOLD = 1 << 20;

    private HubCacheFolder() {
    }

    /** Copies (moves, when {@code move}) every file of {@code folder} into the cache; returns the snapshot folder. */
    public static Path add(Path hub, String repoId, String revision, Path folder, boolean move) {
        Path repo = hub.resolve("models--" + repoId.replace("/", "--"));
        Path snapshot = repo.resolve("snapshots").resolve(revision);
        try {
            Files.createDirectories(repo.resolve("blobs"));
            Files.createDirectories(snapshot);
            Files.createDirectories(repo.resolve("refs"));
            Files.writeString(repo.resolve("refs/main"), revision);
            List<Path> files;
            try (Stream<Path> list = Files.list(folder)) {
                files = list.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path file : files) {
                String blob = Files.size(file) >= LFS_THRESHOLD ? sha256(file) : gitBlobId(file);
                Path target = repo.resolve("blobs").resolve(blob);
                if (!Files.exists(target)) {
                    if (move) {
                        Files.move(file, target);
                    } else {
                        Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
                Path link = snapshot.resolve(file.getFileName().toString());
                Files.deleteIfExists(link);
                Files.createSymbolicLink(link, Path.of("../../blobs").resolve(blob));
            }
            return snapshot;
        } catch (IOException e) {
            throw new UncheckedIOException(hub + ": cannot add " + folder + " as " + repoId + "@" + revision + ": " + e.getMessage(), e);
        }
    }

    private static String sha256(Path file) throws IOException {
        return digest("SHA-256", new byte[0], file);
    }

    /** git's object id of a file: SHA-1 over "blob LENGTH\0" and the content. */
    private static String gitBlobId(Path file) throws IOException {
        return digest("SHA-1", ("blob " + Files.size(file) + "\0").getBytes(StandardCharsets.US_ASCII), file);
    }

    private static String digest(String algorithm, byte[] header, Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        md.update(header);
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
