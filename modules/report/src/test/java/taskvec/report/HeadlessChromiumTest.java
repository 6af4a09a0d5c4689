package taskvec.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the report tests look for Chromium: CHROME_BIN first, then the usual names along PATH. */
class HeadlessChromiumTest {

    private static Path executable(Path dir, String name) throws Exception {
        Files.createDirectories(dir);
        return Files.createFile(dir.resolve(name), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }

    @Test
    void chromeBinThenPathInOrderOfNames(@TempDir Path tmp) throws Exception {
        Path chrome = executable(tmp.resolve("a"), "google-chrome");
        Path chromium = executable(tmp.resolve("b"), "chromium");
        Files.createFile(tmp.resolve("a/chromium")); // not executable: passed over
        String path = tmp.resolve("a") + ":" + tmp.resolve("b");
        assertEquals(Optional.of(chromium), HeadlessChromium.find(Map.of("PATH", path)));
        assertEquals(Optional.of(chrome), HeadlessChromium.find(Map.of("PATH", tmp.resolve("a").toString())));
        Path custom = executable(tmp.resolve("c"), "my-browser");
        assertEquals(Optional.of(custom), HeadlessChromium.find(Map.of("CHROME_BIN", custom.toString(), "PATH", path)));
        assertEquals(Optional.empty(), HeadlessChromium.find(Map.of("PATH", tmp.resolve("c").toString())));
    }
}
