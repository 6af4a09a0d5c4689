package taskvec.model.hooks;

/**
 * Read the activation at a hook site and prompt position (after image expansion). For vision-side sites
 * ({@code vision.*}, {@code projector.hook_out}) the position is a row of the site's tensor flattened over the
 * prompt's images: images (crops) in prompt order, each image's rows in order.
 */
public record Capture(HookName hook, int position) {
    public Capture {
        if (hook == null) {
            throw new IllegalArgumentException("capture needs a hook name");
        }
        if (position < 0) {
            throw new IllegalArgumentException("capture position must be >= 0, got " + position);
        }
    }

    public static Capture residPost(int layer, int position) {
        return new Capture(HookName.residPost(layer), position);
    }
}
