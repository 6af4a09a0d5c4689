package taskvec.model.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * SHA-256 of model and input files, read in full at most once per file version: a Hugging Face cache blob is
 * named by its SHA-256 already; any other file's hash is remembered per (path, size, modification time, inode),
 * in this process and, once {@link #rememberIn} names a folder (the CLI gives the taskvec home's
 * {@code hashes/}), across processes. {@link #rehash} makes every file be read again (a blob whose content no
 * longer matches its name is then an error).
 */
public final class FileDigests {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Map<String, String> IN_PROCESS = new ConcurrentHashMap<>();
    private static final AtomicLong BYTES_HASHED = new AtomicLong();
    private static volatile Path memoDir;
    private static volatile boolean rehash;

    private FileDigests() {
    }

    /** Remember hashes in this folder too (created when first written), so later processes reuse them. */
    public static void rememberIn(Path folder) {
        memoDir = folder;
    }

    /** Hash every file again, ignoring blob names and remembered hashes (the CLI's --rehash). */
    public static void rehash(boolean on) {
        rehash = on;
        if (on) {
            IN_PROCESS.clear();
        }
    }

    /** Drops what this process remembers, as if it had just started (tests and benchmarks of a second process). */
    public static void forgetThisProcess() {
        IN_PROCESS.clear();
    }

    /** Bytes read for hashing by this process so far (what a second run must not spend again). */
    public static long bytesHashed() {
        return BYTES_HASHED.get();
    }

    /** The SHA-256 (hex) of a regular file. */
    public static String sha256(Path file) {
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            Optional<String> blob = HubCache.blobSha256(file);
            if (blob.isPresent() && !rehash) {
                return blob.get();
            }
            String stamp = file.toAbsolutePath().normalize() + "|" + attrs.size() + "|" + attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS)
                    + "|" + attrs.fileKey();
            if (rehash) {
                String fresh = IN_PROCESS.computeIfAbsent(stamp, s -> digest(file));
                if (blob.isPresent() && !blob.get().equals(fresh)) {
                    throw new IllegalStateException(file + ": content hashes to " + fresh + " but its Hugging Face cache blob is named "
                            + blob.get() + " (the cached file was changed or damaged; download it again)");
                }
                remember(stamp, fresh);
                return fresh;
            }
            return IN_PROCESS.computeIfAbsent(stamp, s -> recalled(s).orElseGet(() -> remember(s, digest(file))));
        } catch (IOException e) {
            throw new UncheckedIOException("hashing " + file + ": " + e.getMessage(), e);
        }
    }

    private static Optional<String> recalled(String stamp) {
        Path dir = memoDir;
        if (dir == null) {
            return Optional.empty();
        }
        try {
            // line 1 the hash, line 2 the stamp it belongs to (a check against a collision of memo names)
            List<String> lines = Files.readAllLines(dir.resolve(memoName(stamp)), StandardCharsets.UTF_8);
            return lines.size() >= 2 && SHA256.matcher(lines.get(0)).matches() && lines.get(1).equals(stamp)
                    ? Optional.of(lines.get(0)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** One small file per stamp, written to a temporary name and moved into place, so concurrent processes never see half. */
    private static String remember(String stamp, String hash) {
        Path dir = memoDir;
        if (dir == null) {
            return hash;
        }
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "hash", ".tmp");
            Files.writeString(tmp, hash + "\n" + stamp + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(tmp, dir.resolve(memoName(stamp)), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(memoName(stamp)), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // a read-only home only costs hashing again next time
        }
        return hash;
    }

    private static String memoName(String stamp) {
        return digest(stamp.getBytes(StandardCharsets.UTF_8));
    }

    private static String digest(byte[] bytes) {
        return HexFormat.of().formatHex(sha256Digest().digest(bytes));
    }

    private static String digest(Path file) {
        MessageDigest md = sha256Digest();
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
                BYTES_HASHED.addAndGet(n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("hashing " + file + ": " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
