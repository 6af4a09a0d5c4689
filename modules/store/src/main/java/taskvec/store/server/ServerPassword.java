package taskvec.store.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The embedded server's superuser password: generated once, kept in {@code <home>/db/password}
 * (readable by the owner only), read by every taskvec command of that home. Clients authenticate
 * with scram-sha-256, so the password itself never crosses the wire.
 */
public final class ServerPassword {
    private static final SecureRandom RANDOM = new SecureRandom();

    private ServerPassword() {}

    /** The password in the file, or a new one written there (32 random bytes, URL-safe Base64: no quoting needed). */
    public static String readOrCreate(Path file) {
        Optional<String> existing = read(file);
        if (existing.isPresent()) return existing.get();
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        PrivateFiles.write(file, password + "\n");
        return password;
    }

    /** The password in the file, if there is one. */
    public static Optional<String> read(Path file) {
        try {
            PrivateFiles.tighten(file);
            String text = Files.readString(file).strip();
            return text.isEmpty() ? Optional.empty() : Optional.of(text);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read the server password: " + e.getMessage(), e);
        }
    }
}
