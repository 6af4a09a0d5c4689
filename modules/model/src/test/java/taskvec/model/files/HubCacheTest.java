package taskvec.model.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import taskvec.model.ModelLoadException;
import taskvec.model.bench.HubCacheFolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** The hub cache layout: roots in huggingface_hub's order, snapshots by commit or ref, blob names as SHA-256. */
class HubCacheTest {

    private static final Path MODEL = Path.of("src/test/resources/fixtures/llama-sharded/model");
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @Test
    void rootsFollowTheLibrarysOrder() {
        Path home = Path.of("/home/u");
        assertEquals(List.of(Path.of("/home/u/.cache/huggingface/hub")), HubCache.roots(Map.of(), home));
        assertEquals(List.of(Path.of("/c/hub-cache"), Path.of("/h/hub"), Path.of("/x/huggingface/hub"),
                        Path.of("/home/u/.cache/huggingface/hub")),
                HubCache.roots(Map.of("HF_HUB_CACHE", "/c/hub-cache", "HF_HOME", "/h", "XDG_CACHE_HOME", "/x"), home));
        assertEquals(List.of(Path.of("/h/hub"), Path.of("/home/u/.cache/huggingface/hub")),
                HubCache.roots(Map.of("HF_HOME", "/h", "HF_HUB_CACHE", " "), home));
    }

    @Test
    void aRevisionIsFoundByCommitOrByRef(@TempDir Path dir) {
        Path empty = dir.resolve("empty");
        Path hub = dir.resolve("hub");
        Path snapshot = HubCacheFolder.add(hub, "org/tiny-llama", COMMIT, MODEL, false);
        List<String> tried = new ArrayList<>();
        assertEquals(Optional.of(snapshot), HubCache.find("org/tiny-llama", COMMIT, List.of(empty, hub), tried));
        assertEquals(List.of(empty.resolve("models--org--tiny-llama/snapshots/" + COMMIT).toString(), snapshot.toString()), tried);
        // a branch name goes through refs/
        assertEquals(Optional.of(snapshot), HubCache.find("org/tiny-llama", "main", List.of(hub), new ArrayList<>()));
        assertEquals(snapshot, HubCache.snapshot("org/tiny-llama", COMMIT, Map.of("HF_HUB_CACHE", hub.toString())));
        assertTrue(Files.isSymbolicLink(snapshot.resolve("config.json")));
    }

    @Test
    void aMissingRevisionNamesEveryPathTried(@TempDir Path dir) {
        Path hub = dir.resolve("hub");
        HubCacheFolder.add(hub, "org/tiny-llama", COMMIT, MODEL, false);
        String other = "fedcba9876543210fedcba9876543210fedcba98";
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> HubCache.snapshot("org/tiny-llama", other,
                Map.of("HF_HUB_CACHE", hub.toString(), "HF_HOME", dir.resolve("home").toString())));
        assertTrue(e.getMessage().startsWith("org/tiny-llama@" + other + ": not in the local Hugging Face cache"), e.getMessage());
        assertTrue(e.getMessage().contains(hub.resolve("models--org--tiny-llama/snapshots/" + other).toString()), e.getMessage());
        assertTrue(e.getMessage().contains(dir.resolve("home/hub/models--org--tiny-llama/snapshots/" + other).toString()),
                e.getMessage());
        ModelLoadException branch = assertThrows(ModelLoadException.class, () -> HubCache.snapshot("org/tiny-llama", "v2",
                Map.of("HF_HUB_CACHE", hub.toString())));
        assertTrue(branch.getMessage().contains(hub.resolve("models--org--tiny-llama/refs/v2").toString()), branch.getMessage());
    }

    @Test
    void largeBlobsAreNamedByTheirSha256(@TempDir Path dir) throws IOException {
        Path big = dir.resolve("src/model.safetensors");
        Files.createDirectories(big.getParent());
        byte[] bytes = new byte[(1 << 20) + 7];
        bytes[5] = 42;
        Files.write(big, bytes);
        Files.writeString(dir.resolve("src/config.json"), "{}");
        Path snapshot = HubCacheFolder.add(dir.resolve("hub"), "org/m", COMMIT, big.getParent(), false);
        String sha = java.util.HexFormat.of().formatHex(sha256(bytes));
        assertEquals(Optional.of(sha), HubCache.blobSha256(snapshot.resolve("model.safetensors")));
        // small files are stored under their git object id (40 hex digits): not a SHA-256 to trust
        assertEquals(Optional.empty(), HubCache.blobSha256(snapshot.resolve("config.json")));
        assertEquals(Optional.empty(), HubCache.blobSha256(big));
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
