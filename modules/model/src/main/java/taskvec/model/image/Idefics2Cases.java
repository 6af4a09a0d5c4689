package taskvec.model.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import taskvec.model.image.PreprocessFixture.CaseResult;
import taskvec.model.image.PreprocessFixture.Compare;

/**
 * The Idefics2 cases of {@code preprocess2/}: either one image with its crops (per crop the size and
 * the 8-bit pixels, subsampled by {@code stride}; and the padded batch shape), or several images as
 * one padded batch ({@code pixel_values} and {@code pixel_attention_mask} in full).
 */
final class Idefics2Cases implements PreprocessCaseHandler {

    @Override
    public List<CaseResult> run(PreprocessCase c) {
        String name = c.name();
        JsonNode images = c.node().path("images");
        if (!images.isArray() || images.isEmpty()) {
            throw c.error("images", "expected a non-empty list of image files");
        }
        Idefics2ImageProcessor processor;
        try {
            JsonNode override = c.node().get("config_override");
            Idefics2ProcessorConfig config = override instanceof ObjectNode o
                    ? Idefics2ProcessorConfig.load(c.file(c.text("processor_config")), o)
                    : Idefics2ProcessorConfig.load(c.file(c.text("processor_config")));
            processor = Idefics2ImageProcessor.of(config);
        } catch (ImageConfigLoadException e) {
            return List.of(CaseResult.failed(name, Compare.NONE, e.getMessage()));
        }
        try {
            if (c.node().has("crops")) {
                if (images.size() != 1) {
                    throw c.error("images", "a case with crops names one image");
                }
                return crops(c, processor, images.get(0).asText());
            }
            return batch(c, processor, images);
        } catch (ImageInputException | IllegalArgumentException e) {
            return List.of(CaseResult.failed(name, Compare.NONE, e.getMessage()));
        }
    }

    private static List<CaseResult> crops(PreprocessCase c, Idefics2ImageProcessor processor, String image) {
        List<RgbImage> crops = processor.resizedCrops(ImageDecoder.decode(c.file(image)), OptionalInt.empty());
        JsonNode expected = c.node().get("crops");
        List<CaseResult> results = new ArrayList<>();
        results.add(c.compareShape(c.name() + "/n_crops", new long[] {crops.size()}, new long[] {expected.size()}));
        int count = Math.min(crops.size(), expected.size());
        for (int k = 0; k < count; k++) {
            JsonNode want = expected.get(k);
            RgbImage crop = crops.get(k);
            String cropName = c.name() + "/crop" + k;
            results.add(c.compareShape(cropName + "/size", new long[] {crop.height(), crop.width()},
                    new long[] {want.path("height").asInt(), want.path("width").asInt()}));
            int stride = want.path("stride").asInt(1);
            results.add(c.compareUint8(cropName, want.path("resized_uint8").asText(), subsample(crop, stride),
                    new long[] {3, ceilDiv(crop.height(), stride), ceilDiv(crop.width(), stride)}));
        }
        JsonNode shape = c.node().get("pixel_values_shape");
        if (shape != null) {
            int h = crops.stream().mapToInt(RgbImage::height).max().orElse(0);
            int w = crops.stream().mapToInt(RgbImage::width).max().orElse(0);
            long[] want = new long[shape.size()];
            for (int i = 0; i < want.length; i++) {
                want[i] = shape.get(i).asLong();
            }
            results.add(c.compareShape(c.name() + "/pixel_values_shape", new long[] {crops.size(), 3, h, w}, want));
        }
        return results;
    }

    private static List<CaseResult> batch(PreprocessCase c, Idefics2ImageProcessor processor, JsonNode images) {
        List<PixelValues> crops = new ArrayList<>();
        for (JsonNode image : images) {
            crops.addAll(processor.preprocess(c.file(image.asText()), OptionalInt.empty()));
        }
        Idefics2ImageProcessor.PaddedBatch batch = Idefics2ImageProcessor.pad(crops);
        return List.of(
                c.compareFloats(c.name() + "/pixel_values", Compare.PIXEL_VALUES, c.text("pixel_values"), batch.values(),
                        new long[] {batch.count(), 3, batch.height(), batch.width()}, c.tolerance().pixelValuesMaxAbs()),
                c.compareExact(c.name() + "/pixel_attention_mask", Compare.PIXEL_ATTENTION_MASK,
                        c.text("pixel_attention_mask"), batch.mask(),
                        new long[] {batch.count(), batch.height(), batch.width()}));
    }

    /** The crop channel-first, every stride-th row and column from the first: [:, ::s, ::s]. */
    private static int[] subsample(RgbImage image, int stride) {
        int h = ceilDiv(image.height(), stride);
        int w = ceilDiv(image.width(), stride);
        int[] out = new int[3 * h * w];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[(c * h + y) * w + x] = image.sample(x * stride, y * stride, c);
                }
            }
        }
        return out;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
