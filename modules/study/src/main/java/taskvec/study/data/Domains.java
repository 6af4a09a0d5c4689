package taskvec.study.data;

/**
 * A task's domain: the part of its name before the first '-' (country-capital and
 * country-currency share "country"); a name without '-' is its own domain. Tasks of one domain
 * share their query items, so the additive mode's zero-shot mean is taken per domain.
 */
public final class Domains {
    private Domains() {}

    public static String of(String task) {
        int i = task.indexOf('-');
        return i < 0 ? task : task.substring(0, i);
    }
}
