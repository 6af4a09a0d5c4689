package taskvec.model.files;

import taskvec.model.ModelLoadException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The local Hugging Face hub cache, read the way {@code huggingface_hub} lays it out: a repo {@code ORG/NAME} lives
 * in {@code models--ORG--NAME/}, each downloaded commit in {@code snapshots/COMMIT/} (symlinks into {@code blobs/},
 * large files named by their SHA-256), and {@code refs/BRANCH} holds the commit a branch or tag pointed at. Only
 * reads: a revision that is not in the cache is an error naming every path tried, never a download.
 */
public final class HubCache {

    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private HubCache() {
    }

    /**
     * The cache folders to look in, in huggingface_hub's order of precedence: {@code HF_HUB_CACHE} (or its old name
     * {@code HUGGINGFACE_HUB_CACHE}), {@code HF_HOME/hub}, {@code XDG_CACHE_HOME/huggingface/hub},
     * {@code ~/.cache/huggingface/hub}. All that are set are tried, so a model in any of them is found.
     */
    public static List<Path> roots(Map<String, String> env, Path userHome) {
        Set<Path> roots = new LinkedHashSet<>();
        for (String var : new String[] {"HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"}) {
            set(env, var).ifPresent(v -> roots.add(Path.of(v)));
        }
        set(env, "HF_HOME").ifPresent(v -> roots.add(Path.of(v, "hub")));
        set(env, "XDG_CACHE_HOME").ifPresent(v -> roots.add(Path.of(v, "huggingface", "hub")));
        roots.add(userHome.resolve(".cache/huggingface/hub"));
        List<Path> out = new ArrayList<>();
        roots.forEach(r -> out.add(r.toAbsolutePath().normalize()));
        return out;
    }

    /** The folder of a repo's revision in the first cache holding it. */
    public static Path snapshot(String repoId, String revision, Map<String, String> env) {
        List<String> tried = new ArrayList<>();
        Optional<Path> found = find(repoId, revision, roots(env, Path.of(System.getProperty("user.home"))), tried);
        return found.orElseThrow(() -> new ModelLoadException(repoId + "@" + revision
                + ": not in the local Hugging Face cache (nothing is downloaded); tried " + String.join(", ", tried)));
    }

    /**
     * Looks for the snapshot of {@code revision} (a commit, or a branch or tag name read from {@code refs/}) of
     * {@code repoId} in each root; every path looked at is added to {@code tried}.
     */
    public static Optional<Path> find(String repoId, String revision, List<Path> roots, List<String> tried) {
        String rev = revision == null ? "main" : revision;
        String folder = "models--" + repoId.replace("/", "--");
        for (Path root : roots) {
            Path repo = root.resolve(folder);
            String commit = rev;
            if (!COMMIT.matcher(rev).matches()) {
                Path ref = repo.resolve("refs").resolve(rev);
                tried.add(ref.toString());
                if (!Files.isRegularFile(ref)) {
                    continue;
                }
                try {
                    commit = Files.readString(ref).trim();
                } catch (IOException e) {
                    continue;
                }
            }
            Path snapshot = repo.resolve("snapshots").resolve(commit);
            tried.add(snapshot.toString());
            if (Files.isDirectory(snapshot)) {
                return Optional.of(snapshot);
            }
        }
        return Optional.empty();
    }

    /**
     * The SHA-256 a cache blob is named by, when {@code file} is one (a snapshot's symlink into {@code blobs/}, or
     * the blob itself). Small files are stored under their git object id (40 hex digits) instead, and are hashed.
     */
    public static Optional<String> blobSha256(Path file) {
        try {
            Path real = file.toRealPath();
            Path parent = real.getParent();
            String name = real.getFileName().toString();
            if (parent != null && parent.getFileName() != null && parent.getFileName().toString().equals("blobs")
                    && SHA256.matcher(name).matches()) {
                return Optional.of(name);
            }
        } catch (IOException e) {
            // unreadable: not a blob we can vouch for
        }
        return Optional.empty();
    }

    private static Optional<String> set(Map<String, String> env, String var) {
        String v = env.get(var);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }
}
