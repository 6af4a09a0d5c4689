package taskvec.model.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreprocessFixtureTest {

    private static final Path FIXTURE = Path.of("src/test/resources/fixtures/preprocess");

    @TempDir
    Path tmp;

    @Test
    void everyFixtureCasePassesWithinTheStatedTolerance() {
        List<PreprocessFixture.CaseResult> results = PreprocessFixture.verify(FIXTURE);
        System.out.println("preprocess fixture: " + PreprocessFixture.tolerance(FIXTURE));
        results.forEach(r -> System.out.println("  " + r.summary()));
        assertEquals(8, results.size());
        for (PreprocessFixture.CaseResult r : results) {
            assertTrue(r.passed(), r.summary());
            // The checks themselves, not only the flag: the fixture's rules.
            if (r.compare() == PreprocessFixture.Compare.RESIZED_UINT8) {
                assertTrue(r.maxAbsError() <= 1 && r.exactFraction() >= 0.99, r.summary());
            } else {
                assertTrue(r.maxAbsError() <= 0.0155, r.summary());
            }
        }
    }

    @Test
    void everyIdefics2CaseOfPreprocess2Passes() {
        Path fixture = FIXTURE.resolveSibling("preprocess2");
        List<PreprocessFixture.CaseResult> results = PreprocessFixture.verify(fixture);
        results.forEach(r -> System.out.println("  " + r.summary()));
        List<PreprocessFixture.CaseResult> idefics2 = results.stream().filter(r -> r.name().startsWith("idefics2/")).toList();
        // 10 single-image cases: n_crops, pixel_values_shape, and size + pixels per crop (5 with splitting, 1 without);
        // small-batch: pixel_values and pixel_attention_mask
        assertEquals(5 * (2 + 2 * 5) + 5 * (2 + 2 * 1) + 2, idefics2.size());
        for (PreprocessFixture.CaseResult r : idefics2) {
            assertTrue(r.passed(), r.summary());
            if (r.compare() == PreprocessFixture.Compare.RESIZED_UINT8) {
                assertTrue(r.maxAbsError() <= 1 && r.exactFraction() >= 0.99, r.summary());
            } else if (r.compare() == PreprocessFixture.Compare.PIXEL_VALUES) {
                assertTrue(r.maxAbsError() <= 0.0079, r.summary());
            } else if (r.compare() == PreprocessFixture.Compare.PIXEL_ATTENTION_MASK) {
                assertEquals(1.0, r.exactFraction(), r.summary());
            }
        }
        assertTrue(PreprocessFixture.noneFailed(results), "no case of another class fails the folder");
    }

    @Test
    void aCaseOfAClassNobodyHandlesIsUnsupportedAndTheOthersStillRun() throws IOException {
        Path dir = copyFixture("preprocess2");
        Path cases = dir.resolve("cases.json");
        Files.writeString(cases, Files.readString(cases).replaceFirst("\"class\": \"Idefics2ImageProcessorPil\"",
                "\"class\": \"MadeUpImageProcessor\""));
        List<PreprocessFixture.CaseResult> results = PreprocessFixture.verify(dir);
        PreprocessFixture.CaseResult first = results.get(0);
        assertEquals(PreprocessFixture.Outcome.UNSUPPORTED, first.outcome(), first.summary());
        assertEquals("idefics2/idefics2-split/landscape_rgb_300x200", first.name());
        assertTrue(first.detail().contains("MadeUpImageProcessor"), first.detail());
        assertTrue(results.stream().filter(r -> r.name().startsWith("idefics2/idefics2-nosplit/landscape"))
                .allMatch(PreprocessFixture.CaseResult::passed));
        assertTrue(PreprocessFixture.noneFailed(results));
    }

    @Test
    void recognizesAPreprocessFixtureFolder() {
        assertTrue(PreprocessFixture.isPreprocessFixture(FIXTURE));
        assertFalse(PreprocessFixture.isPreprocessFixture(tmp));
    }

    @Test
    void aWrongExpectationFails() throws IOException {
        Path dir = copyFixture();
        // Point the small image's case at the wide image's expected tensor (same shape, other content).
        Path cases = dir.resolve("cases.json");
        String json = Files.readString(cases).replace("\"expected\": \"small-rgb.png|clip-336|0|u8\"",
                "\"expected\": \"wide-rgb.png|clip-336|0|u8\"");
        Files.writeString(cases, json);
        List<PreprocessFixture.CaseResult> results = PreprocessFixture.verify(dir);
        PreprocessFixture.CaseResult swapped = results.get(5);
        assertEquals("wide-rgb.png|clip-336|0|u8", swapped.name());
        assertFalse(swapped.passed(), swapped.summary());
        assertTrue(swapped.maxAbsError() > 1, swapped.summary());
    }

    @Test
    void anUndecodableImageFailsItsCaseWithTheReason() throws IOException {
        Path dir = copyFixture();
        Files.writeString(dir.resolve("tall-gray.png"), "not a png");
        List<PreprocessFixture.CaseResult> results = PreprocessFixture.verify(dir);
        PreprocessFixture.CaseResult broken = results.get(3);
        assertFalse(broken.passed());
        assertTrue(broken.detail().contains("tall-gray.png") && broken.detail().contains("not an image"),
                broken.detail());
        assertTrue(results.get(0).passed());
    }

    @Test
    void aFolderWithoutCasesIsALoadError() {
        PreprocessFixtureLoadException e = assertThrows(PreprocessFixtureLoadException.class,
                () -> PreprocessFixture.verify(tmp));
        assertTrue(e.getMessage().contains("cases.json") && e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void anUnknownComparisonIsALoadErrorNamingTheCase() throws IOException {
        Path dir = copyFixture();
        Path cases = dir.resolve("cases.json");
        Files.writeString(cases, Files.readString(cases).replaceFirst("\"compare\": \"resized_uint8\"",
                "\"compare\": \"histogram\""));
        PreprocessFixtureLoadException e = assertThrows(PreprocessFixtureLoadException.class,
                () -> PreprocessFixture.verify(dir));
        assertTrue(e.getMessage().contains("cases[0].compare: unknown comparison 'histogram'"), e.getMessage());
    }

    private Path copyFixture() throws IOException {
        return copyFixture("preprocess");
    }

    private Path copyFixture(String name) throws IOException {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(FIXTURE.resolveSibling(name))) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }
}
