package taskvec.model.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import taskvec.model.image.PreprocessFixture.CaseResult;
import taskvec.model.image.PreprocessFixture.Compare;

/**
 * The first preprocessing fixture's cases (CLIPImageProcessor, SiglipImageProcessor): an image, a
 * processor config, an optional pre-resize width, and either the 8-bit image after resize and crop
 * ({@code compare: resized_uint8}) or the normalized pixel values ({@code compare: pixel_values}).
 */
final class ClipSiglipCases implements PreprocessCaseHandler {

    private final Map<String, ImageProcessor> processors = new HashMap<>();

    @Override
    public List<CaseResult> run(PreprocessCase c) {
        String image = c.text("image");
        String config = c.text("processor_config");
        String key = c.text("expected");
        String compareKey = c.text("compare");
        Compare compare = switch (compareKey) {
            case "resized_uint8" -> Compare.RESIZED_UINT8;
            case "pixel_values" -> Compare.PIXEL_VALUES;
            default -> throw c.error("compare", "unknown comparison '" + compareKey
                    + "'; expected resized_uint8 or pixel_values");
        };
        OptionalInt preResize = preResizeWidth(c);
        try {
            ImageProcessor processor = processors.computeIfAbsent(config, name -> ImageProcessor.fromConfig(c.file(name)));
            if (compare == Compare.RESIZED_UINT8) {
                RgbImage resized = processor.resized(ImageDecoder.decode(c.file(image)), preResize);
                return List.of(c.compareUint8(key, key, resized.toChw(), new long[] {3, resized.height(), resized.width()}));
            }
            PixelValues px = processor.process(c.file(image), preResize);
            return List.of(c.compareFloats(key, compare, key, px.data(), px.shape(), c.tolerance().pixelValuesMaxAbs()));
        } catch (ImageInputException | ImageConfigLoadException | IllegalArgumentException e) {
            return List.of(CaseResult.failed(key, compare, e.getMessage()));
        }
    }

    private static OptionalInt preResizeWidth(PreprocessCase c) {
        JsonNode width = c.node().path("pre_resize_width");
        if (width.isMissingNode() || width.isNull()) {
            return OptionalInt.empty();
        }
        if (width.isIntegralNumber() && width.asInt() > 0) {
            return OptionalInt.of(width.asInt());
        }
        throw c.error("pre_resize_width", "expected a positive integer or null, got " + width);
    }
}
