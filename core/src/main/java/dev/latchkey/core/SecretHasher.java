package dev.latchkey.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Hashes tokens for storage and comparison: HMAC-SHA256 keyed with a server-side pepper when one is configured,
 * plain SHA-256 otherwise. Tokens carry over 190 bits of randomness, so a fast hash is right here; a slow password
 * hash would only slow every request. With a pepper, a stolen database alone does not let an attacker test
 * guesses offline.
 *
 * <p>Thread-safe: each thread keeps its own {@link MessageDigest} or {@link Mac}.
 */
public final class SecretHasher {

    private static final String CHECK_INPUT = "latchkey:hasher-check:v1";
    private static final int SCRATCH_SIZE = 256;
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[SCRATCH_SIZE]);

    private final @Nullable SecretKeySpec pepper;
    private final ThreadLocal<MessageDigest> digests;
    private final ThreadLocal<Mac> macs;

    private SecretHasher(@Nullable SecretKeySpec pepper) {
        this.pepper = pepper;
        this.digests = ThreadLocal.withInitial(SecretHasher::newDigest);
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** Returns a hasher that uses plain SHA-256 (no pepper). */
    public static SecretHasher sha256() {
        return new SecretHasher(null);
    }

    /**
     * Returns a hasher that uses HMAC-SHA256 keyed with {@code pepper}.
     *
     * @throws IllegalArgumentException when the pepper is empty
     */
    public static SecretHasher hmac(String pepper) {
        Objects.requireNonNull(pepper, "pepper");
        if (pepper.isEmpty()) {
            throw new IllegalArgumentException("pepper must not be empty");
        }
        return new SecretHasher(new SecretKeySpec(pepper.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    }

    /** Returns {@link #hmac} when a pepper is given (non-null, non-empty), else {@link #sha256}. */
    public static SecretHasher forPepper(@Nullable String pepper) {
        return pepper == null || pepper.isEmpty() ? sha256() : hmac(pepper);
    }

    /** Returns whether a pepper is in use. */
    public boolean peppered() {
        return pepper != null;
    }

    /** Hashes a token's characters (tokens are ASCII; other characters are hashed as their UTF-8 bytes). */
    public SecretHash hash(CharSequence token) {
        int n = token.length();
        if (n <= SCRATCH_SIZE && isAscii(token)) {
            byte[] scratch = SCRATCH.get(); // no input array per call: the hot path allocates only the digest
            for (int i = 0; i < n; i++) {
                scratch[i] = (byte) token.charAt(i);
            }
            return digest(scratch, n);
        }
        byte[] utf8 = token.toString().getBytes(StandardCharsets.UTF_8);
        return digest(utf8, utf8.length);
    }

    private SecretHash digest(byte[] input, int length) {
        if (pepper == null) {
            MessageDigest digest = digests.get();
            digest.update(input, 0, length);
            return SecretHash.wrap(digest.digest());
        }
        Mac mac = macs.get();
        mac.update(input, 0, length);
        return SecretHash.wrap(mac.doFinal());
    }

    /**
     * Returns a value that identifies this hasher's algorithm and pepper without revealing the pepper: the hash of
     * a fixed string. Two hashers agree on every token if and only if their check values agree, so a node can tell
     * at start-up that it was given a different pepper than the issuer.
     */
    public String checkValue() {
        return hash(CHECK_INPUT).hex();
    }

    private static boolean isAscii(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            if (pepper != null) {
                mac.init(pepper);
            }
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
        }
    }

    @Override
    public String toString() {
        return pepper == null ? "SecretHasher[sha256]" : "SecretHasher[hmac-sha256]";
    }
}
