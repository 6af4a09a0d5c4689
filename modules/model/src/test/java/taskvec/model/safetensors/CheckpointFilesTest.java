package taskvec.model.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFilesTest {

    @TempDir
    Path dir;

    private static final String SHARD1 = "model-00001-of-00002.safetensors";
    private static final String SHARD2 = "model-00002-of-00002.safetensors";

    /** Two shards and an index; {@code index} is the weight_map body. */
    private Path sharded(String weightMap) throws IOException {
        new SafetensorsWriter()
                .add("a", DType.F32, new long[] {2}, new float[] {1, 2})
                .add("b", DType.BF16, new long[] {1}, new float[] {3})
                .write(dir.resolve(SHARD1));
        new SafetensorsWriter()
                .add("c", DType.F16, new long[] {2}, new float[] {4, 5})
                .write(dir.resolve(SHARD2));
        Files.writeString(dir.resolve(CheckpointFiles.INDEX_FILE),
                "{\"metadata\":{\"total_size\":14},\"weight_map\":{" + weightMap + "}}");
        return dir;
    }

    private static final String FULL_MAP = "\"c\":\"" + SHARD2 + "\",\"a\":\"" + SHARD1 + "\",\"b\":\"" + SHARD1 + "\"";

    private String openFails(Path modelDir) {
        return assertThrows(SafetensorsLoadException.class, () -> CheckpointFiles.open(modelDir)).getMessage();
    }

    @Test
    void shardedCheckpointIsReadLazilyAcrossShards() throws IOException {
        try (CheckpointFiles ckpt = CheckpointFiles.open(sharded(FULL_MAP))) {
            assertTrue(ckpt.sharded());
            assertEquals(List.of("c", "a", "b"), List.copyOf(ckpt.names()));
            assertEquals(List.of(dir.resolve(SHARD2), dir.resolve(SHARD1)), ckpt.files());
            assertTrue(ckpt.has("a"));
            assertFalse(ckpt.has("d"));
            assertArrayEquals(new float[] {1, 2}, ckpt.readFloats("a"));
            assertArrayEquals(new float[] {3}, ckpt.readFloats("b"));
            assertArrayEquals(new double[] {4, 5}, ckpt.readDoubles("c"));
            assertEquals(DType.F16, ckpt.info("c").dtype());
            ckpt.validate();
            SafetensorsLoadException e = assertThrows(SafetensorsLoadException.class, () -> ckpt.info("d"));
            assertEquals(dir + ": the checkpoint has no tensor 'd' (looked in " + CheckpointFiles.INDEX_FILE + ")",
                    e.getMessage());
        }
    }

    @Test
    void shardIsOpenedOnlyWhenNeeded() throws IOException {
        sharded(FULL_MAP);
        Files.writeString(dir.resolve(SHARD2), "broken"); // only reading 'c' can notice
        try (CheckpointFiles ckpt = CheckpointFiles.open(dir)) {
            assertArrayEquals(new float[] {1, 2}, ckpt.readFloats("a"));
            SafetensorsLoadException e = assertThrows(SafetensorsLoadException.class, () -> ckpt.readFloats("c"));
            assertTrue(e.getMessage().startsWith(dir.resolve(SHARD2) + ": "), e.getMessage());
        }
    }

    @Test
    void missingShardNamesTheIndexAndTheShard() throws IOException {
        sharded(FULL_MAP);
        Files.delete(dir.resolve(SHARD2));
        assertEquals(dir.resolve(CheckpointFiles.INDEX_FILE) + ": shard '" + SHARD2 + "' (holding 1 tensors) is missing from "
                + dir, openFails(dir));
    }

    @Test
    void indexNamingATensorItsShardLacks() throws IOException {
        sharded(FULL_MAP + ",\"z\":\"" + SHARD2 + "\"");
        try (CheckpointFiles ckpt = CheckpointFiles.open(dir)) {
            SafetensorsLoadException e = assertThrows(SafetensorsLoadException.class, () -> ckpt.readFloats("z"));
            assertEquals(dir.resolve(CheckpointFiles.INDEX_FILE) + ": maps tensor 'z' to shard '" + SHARD2
                    + "', but that shard does not contain it", e.getMessage());
            assertThrows(SafetensorsLoadException.class, ckpt::validate);
        }
    }

    @Test
    void validateFindsShardTensorsTheIndexDoesNotList() throws IOException {
        sharded("\"a\":\"" + SHARD1 + "\",\"c\":\"" + SHARD2 + "\"");
        try (CheckpointFiles ckpt = CheckpointFiles.open(dir)) {
            SafetensorsLoadException e = assertThrows(SafetensorsLoadException.class, ckpt::validate);
            assertEquals(dir.resolve(CheckpointFiles.INDEX_FILE) + ": does not match its shards: " + SHARD1
                    + " holds 'b', which the index does not list", e.getMessage());
        }
    }

    @Test
    void badIndexFiles() throws IOException {
        Path index = dir.resolve(CheckpointFiles.INDEX_FILE);
        Files.writeString(index, "{\"weight_map\": ");
        assertTrue(openFails(dir).startsWith(index + ": not valid JSON: "));
        Files.writeString(index, "{\"metadata\":{}}");
        assertEquals(index + ": has no weight_map object", openFails(dir));
        Files.writeString(index, "{\"weight_map\":{}}");
        assertEquals(index + ": weight_map lists no tensors", openFails(dir));
        Files.writeString(index, "{\"weight_map\":{\"a\":7}}");
        assertEquals(index + ": weight_map entry for 'a' is not a file name: 7", openFails(dir));
        Files.writeString(index, "{\"weight_map\":{\"a\":\"../outside.safetensors\"}}");
        assertEquals(index + ": shard '../outside.safetensors' lies outside the model folder", openFails(dir));
    }

    @Test
    void folderProblems() throws IOException {
        assertEquals(dir.resolve("none") + ": model folder does not exist", openFails(dir.resolve("none")));
        assertEquals(dir + ": no weights found: expected model.safetensors or model.safetensors.index.json in this folder",
                openFails(dir));
        Path file = Files.writeString(dir.resolve("config.json"), "{}");
        assertEquals(file + ": not a folder (expected a model folder holding model.safetensors or "
                + "model.safetensors.index.json)", openFails(file));
    }

    @Test
    void singleFileWinsOverAnIndex() throws IOException {
        sharded(FULL_MAP);
        new SafetensorsWriter().add("only", DType.F32, new long[] {1}, new float[] {9}).write(dir.resolve("model.safetensors"));
        try (CheckpointFiles ckpt = CheckpointFiles.open(dir)) {
            assertFalse(ckpt.sharded());
            assertEquals(Set.of("only"), ckpt.names());
            assertEquals(List.of(dir.resolve("model.safetensors")), ckpt.files());
            ckpt.validate();
        }
    }

    @Test
    void closedCheckpointRefusesReads() throws IOException {
        CheckpointFiles ckpt = CheckpointFiles.open(sharded(FULL_MAP));
        ckpt.close();
        assertThrows(IllegalStateException.class, () -> ckpt.readFloats("a"));
        ckpt.close(); // twice is fine
    }
}
