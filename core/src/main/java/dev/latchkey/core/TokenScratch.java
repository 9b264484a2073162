package dev.latchkey.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * One thread's working space for checking a presented token without allocating: the token's characters as bytes
 * (copied once, then read by the checksum, the lookup and the hash), the digest and a SHA-256 engine.
 *
 * <p>Only {@link Verifier#verify} and {@link SecretHasher#matches} use it, and neither calls out to code that could
 * use it again on the same thread between loading a token and comparing its hash (the key resolver in between never
 * verifies tokens).
 */
final class TokenScratch {

    /** The longest token held: longer ones are malformed whatever they contain. */
    static final int CAPACITY = TokenCodec.IMPORTED_MAX;

    private static final ThreadLocal<TokenScratch> PER_THREAD = ThreadLocal.withInitial(TokenScratch::new);

    final byte[] bytes = new byte[CAPACITY];
    private final char[] chars = new char[CAPACITY];
    final byte[] digest = new byte[SecretHash.LENGTH];
    final MessageDigest sha256;
    int length;

    private TokenScratch() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** Returns this thread's scratch. */
    static TokenScratch get() {
        return PER_THREAD.get();
    }

    /**
     * Copies the token in as ASCII bytes. Returns {@code false} (and holds nothing) when it is longer than
     * {@link #CAPACITY} or has a character outside ASCII: no token format allows either.
     */
    boolean load(CharSequence token) {
        return load(token, 0, token.length());
    }

    /** Copies the token {@code text[from, to)} in, as {@link #load(CharSequence)} does a whole token. */
    boolean load(CharSequence text, int from, int to) {
        int n = to - from;
        if (n > CAPACITY) {
            length = 0;
            return false;
        }
        byte[] b = bytes;
        int seen = 0;
        if (text instanceof String s) {
            // getChars is one bulk copy; a charAt loop re-checks the string's coder on every character.
            char[] c = chars;
            s.getChars(from, to, c, 0);
            for (int i = 0; i < n; i++) {
                seen |= c[i];
                b[i] = (byte) c[i];
            }
        } else {
            for (int i = 0; i < n; i++) {
                char c = text.charAt(from + i);
                seen |= c;
                b[i] = (byte) c;
            }
        }
        if (seen > 0x7f) {
            length = 0;
            return false;
        }
        length = n;
        return true;
    }
}
