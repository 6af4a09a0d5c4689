package taskvec.model.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import taskvec.model.image.PreprocessFixture.CaseResult;
import taskvec.model.image.PreprocessFixture.Compare;

/**
 * The Fuyu cases of {@code preprocess2/}: one image through HF's FuyuImageProcessor with its own channels. Per
 * case: the size after the resize step, the 8-bit image then (subsampled by {@code stride}), the patch grid and its
 * prompt token count, and selected patches (all of them when the case stores {@code image_patches}). Patches of a
 * resized image may differ by the one 8-bit level resizing allows; others must match as floats.
 */
final class FuyuCases implements PreprocessCaseHandler {

    @Override
    public List<CaseResult> run(PreprocessCase c) {
        String name = c.name();
        JsonNode images = c.node().path("images");
        if (!images.isArray() || images.size() != 1) {
            throw c.error("images", "expected a list of one image file");
        }
        FuyuImageProcessor processor;
        try {
            processor = new FuyuImageProcessor(FuyuProcessorConfig.load(c.file(c.text("processor_config"))));
        } catch (ImageConfigLoadException e) {
            return List.of(CaseResult.failed(name, Compare.NONE, e.getMessage()));
        }
        try {
            return compare(c, processor, ImageDecoder.decodeChannels(c.file(images.get(0).asText())));
        } catch (ImageInputException | IllegalArgumentException e) {
            return List.of(CaseResult.failed(name, Compare.NONE, e.getMessage()));
        }
    }

    private static List<CaseResult> compare(PreprocessCase c, FuyuImageProcessor processor, ChannelImage image) {
        String name = c.name();
        ChannelImage resized = processor.resizedKeepingChannels(image);
        boolean wasResized = resized != image;
        List<CaseResult> results = new ArrayList<>();
        results.add(c.compareShape(name + "/resized_size", new long[] {resized.height(), resized.width()},
                new long[] {integer(c, "resized_height"), integer(c, "resized_width")}));
        int stride = c.node().path("stride").asInt(1);
        results.add(c.compareUint8(name, c.text("resized_uint8"), resized.toChw(stride), new long[] {
                resized.channels(), ceilDiv(resized.height(), stride), ceilDiv(resized.width(), stride)}));
        FuyuImageProcessor.PatchGrid grid = processor.grid(image.height(), image.width());
        results.add(c.compareShape(name + "/patch_grid", new long[] {grid.rows(), grid.cols(), grid.promptTokens()},
                new long[] {integer(c, "patch_rows"), integer(c, "patch_cols"), integer(c, "n_image_tokens")}));

        PixelValues pixels = processor.patchGridPixels(resized);
        FuyuProcessorConfig config = processor.config();
        float[] patches = FuyuImageProcessor.patches(pixels, config.patchHeight(), config.patchWidth());
        int width = config.patchHeight() * config.patchWidth() * pixels.channels();
        double maxAbs = wasResized ? c.tolerance().pixelValuesMaxAbs() : c.tolerance().floatMaxAbs();
        JsonNode indices = c.node().path("patch_indices");
        float[] selected = new float[indices.size() * width];
        for (int i = 0; i < indices.size(); i++) {
            int k = indices.get(i).asInt();
            if (k < 0 || k >= grid.patches()) {
                throw c.error("patch_indices", "patch " + k + " is outside the " + grid.patches() + " patches");
            }
            System.arraycopy(patches, k * width, selected, i * width, width);
        }
        results.add(c.compareFloats(name + "/patches_sel", Compare.IMAGE_PATCHES, c.text("patches_sel"), selected,
                new long[] {indices.size(), width}, maxAbs));
        if (c.node().has("image_patches")) {
            results.add(c.compareFloats(name + "/image_patches", Compare.IMAGE_PATCHES, c.text("image_patches"),
                    patches, new long[] {grid.patches(), width}, maxAbs));
        }
        return results;
    }

    private static long integer(PreprocessCase c, String field) {
        JsonNode v = c.node().path(field);
        if (!v.canConvertToLong()) {
            throw c.error(field, "expected an integer, got " + (v.isMissingNode() ? "nothing" : v.toString()));
        }
        return v.asLong();
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
