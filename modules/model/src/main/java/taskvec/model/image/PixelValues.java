package taskvec.model.image;

/** A preprocessed image, channels first (CHW), as the vision tower takes it. */
public record PixelValues(float[] data, int channels, int height, int width) {
    public PixelValues {
        if (data.length != channels * height * width) {
            throw new IllegalArgumentException("pixel data has " + data.length + " values, expected "
                    + channels + "x" + height + "x" + width);
        }
    }
}
