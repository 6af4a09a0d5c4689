package taskvec.model.files;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.model.bench.HubCacheFolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.*;

/** Hash once: blob names trusted, other files remembered per (path, size, mtime, inode) across processes. */
class FileDigestsTest {

    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @AfterEach
    void reset() {
        FileDigests.rememberIn(null);
        FileDigests.rehash(false);
    }

    private static byte[] content(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + seed);
        return b;
    }

    @Test
    void aFileIsReadOnceAcrossProcessesUntilItChanges(@TempDir Path dir) throws IOException {
        FileDigests.rememberIn(dir.resolve("home/hashes"));
        Path file = dir.resolve("weights.bin");
        byte[] bytes = content(300_000, 1);
        Files.write(file, bytes);
        long start = FileDigests.bytesHashed();
        String hash = FileDigests.sha256(file);
        assertEquals(HexFormat.of().formatHex(HubCacheTest.sha256(bytes)), hash);
        assertEquals(bytes.length, FileDigests.bytesHashed() - start);

        FileDigests.forgetThisProcess(); // a second process: the home remembers
        assertEquals(hash, FileDigests.sha256(file));
        assertEquals(bytes.length, FileDigests.bytesHashed() - start, "read no byte again");

        // new content (same size) with a new modification time: hashed again
        byte[] changed = content(300_000, 2);
        Files.write(file, changed);
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 2000));
        FileDigests.forgetThisProcess();
        assertEquals(HexFormat.of().formatHex(HubCacheTest.sha256(changed)), FileDigests.sha256(file));
        assertEquals(2L * bytes.length, FileDigests.bytesHashed() - start);

        FileDigests.rehash(true); // --rehash reads it again even though it is remembered
        assertEquals(HexFormat.of().formatHex(HubCacheTest.sha256(changed)), FileDigests.sha256(file));
        assertEquals(3L * bytes.length, FileDigests.bytesHashed() - start);
    }

    @Test
    void aCacheBlobIsNotReadUnlessRehashedAndThenMustMatchItsName(@TempDir Path dir) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("model"));
        byte[] bytes = content((1 << 20) + 11, 3);
        Files.write(folder.resolve("model.safetensors"), bytes);
        Path snapshot = HubCacheFolder.add(dir.resolve("hub"), "org/m", COMMIT, folder, false);
        Path linked = snapshot.resolve("model.safetensors");
        long start = FileDigests.bytesHashed();
        assertEquals(HexFormat.of().formatHex(HubCacheTest.sha256(bytes)), FileDigests.sha256(linked));
        assertEquals(0, FileDigests.bytesHashed() - start);

        // a blob changed after download: --rehash finds out
        Path blob = linked.toRealPath();
        byte[] damaged = bytes.clone();
        damaged[7] ^= 1;
        Files.write(blob, damaged);
        FileDigests.rehash(true);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> FileDigests.sha256(linked));
        assertTrue(e.getMessage().contains("Hugging Face cache blob is named " + blob.getFileName()), e.getMessage());
    }
}
