package dev.latchkey.core;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Hashes tokens for storage and comparison: HMAC-SHA256 keyed with a server-side pepper when one is configured,
 * plain SHA-256 otherwise. Tokens carry over 190 bits of randomness, so a fast hash is right here; a slow password
 * hash would only slow every request. With a pepper, a stolen database alone does not let an attacker test
 * guesses offline.
 *
 * <p>Thread-safe: each thread keeps its own {@link MessageDigest}.
 */
public final class SecretHasher {

    private static final String CHECK_INPUT = "latchkey:hasher-check:v1";
    /** SHA-256's block size, the length of HMAC's padded key (RFC 2104). */
    private static final int BLOCK = 64;
    private static final byte INNER = 0x36;
    private static final byte OUTER = 0x5c;

    /** The pepper padded to a block and XORed with HMAC's inner and outer constants; null without a pepper. */
    private final byte @Nullable [] innerPad;
    private final byte @Nullable [] outerPad;

    private SecretHasher(byte @Nullable [] pepper) {
        if (pepper == null) {
            innerPad = null;
            outerPad = null;
            return;
        }
        byte[] key = pepper.length > BLOCK ? sha256(pepper) : pepper;
        innerPad = new byte[BLOCK];
        outerPad = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            byte k = i < key.length ? key[i] : 0;
            innerPad[i] = (byte) (k ^ INNER);
            outerPad[i] = (byte) (k ^ OUTER);
        }
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
        return new SecretHasher(pepper.getBytes(StandardCharsets.UTF_8));
    }

    /** Returns {@link #hmac} when a pepper is given (non-null, non-empty), else {@link #sha256}. */
    public static SecretHasher forPepper(@Nullable String pepper) {
        return pepper == null || pepper.isEmpty() ? sha256() : hmac(pepper);
    }

    /** Returns whether a pepper is in use. */
    public boolean peppered() {
        return innerPad != null;
    }

    /** Hashes a token's characters (tokens are ASCII; other characters are hashed as their UTF-8 bytes). */
    public SecretHash hash(CharSequence token) {
        TokenScratch scratch = TokenScratch.get();
        byte[] out = new byte[SecretHash.LENGTH];
        if (scratch.load(token)) {
            digest(scratch.sha256, scratch.bytes, scratch.length, out);
        } else {
            byte[] utf8 = token.toString().getBytes(StandardCharsets.UTF_8);
            digest(scratch.sha256, utf8, utf8.length, out);
        }
        return SecretHash.wrap(out);
    }

    /**
     * Returns whether the token hashes to {@code expected}, compared in constant time. Unlike {@link #hash} it
     * allocates nothing for an ASCII token of up to {@value TokenCodec#IMPORTED_MAX} characters.
     */
    public boolean matches(CharSequence token, SecretHash expected) {
        Objects.requireNonNull(expected, "expected");
        TokenScratch scratch = TokenScratch.get();
        if (!scratch.load(token)) {
            return expected.matches(hash(token));
        }
        digestLoaded(scratch);
        return expected.matchesDigest(scratch.digest);
    }

    /** Hashes the token loaded into {@code scratch} into its {@code digest}, allocating nothing. */
    void digestLoaded(TokenScratch scratch) {
        digest(scratch.sha256, scratch.bytes, scratch.length, scratch.digest);
    }

    /**
     * SHA-256, or HMAC-SHA256 as RFC 2104 defines it: {@code H(K^opad || H(K^ipad || m))}. Written out on a
     * {@link MessageDigest} rather than taken from {@code javax.crypto.Mac} because {@code Mac.doFinal} allocates
     * its result on every call; a test holds it to {@code Mac}'s answers.
     */
    private void digest(MessageDigest md, byte[] input, int length, byte[] out) {
        try {
            md.reset();
            if (innerPad == null || outerPad == null) {
                md.update(input, 0, length);
                md.digest(out, 0, SecretHash.LENGTH);
                return;
            }
            md.update(innerPad);
            md.update(input, 0, length);
            md.digest(out, 0, SecretHash.LENGTH);
            md.update(outerPad);
            md.update(out, 0, SecretHash.LENGTH);
            md.digest(out, 0, SecretHash.LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 refused a 32-byte output buffer", e);
        }
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /**
     * Returns a value that identifies this hasher's algorithm and pepper without revealing the pepper: the hash of
     * a fixed string. Two hashers agree on every token if and only if their check values agree, so a node can tell
     * at start-up that it was given a different pepper than the issuer.
     */
    public String checkValue() {
        return hash(CHECK_INPUT).hex();
    }

    @Override
    public String toString() {
        return innerPad == null ? "SecretHasher[sha256]" : "SecretHasher[hmac-sha256]";
    }
}
