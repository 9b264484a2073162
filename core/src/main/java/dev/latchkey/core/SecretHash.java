package dev.latchkey.core;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The hash of a token, as stored: 32 bytes of SHA-256 or HMAC-SHA256. Comparisons with {@link #matches} take
 * constant time. A plain class rather than a record, because records compare arrays by reference.
 */
public final class SecretHash {

    private static final HexFormat HEX = HexFormat.of();
    /** The length of every hash, in bytes. */
    public static final int LENGTH = 32;

    private final byte[] bytes;

    private SecretHash(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * Wraps a digest (copied).
     *
     * @throws IllegalArgumentException when it is not {@value #LENGTH} bytes long
     */
    public static SecretHash of(byte[] digest) {
        if (digest.length != LENGTH) {
            throw new IllegalArgumentException("a secret hash has " + LENGTH + " bytes, not " + digest.length);
        }
        return new SecretHash(digest.clone());
    }

    /** Wraps a digest without copying it; for hashers that hand over a fresh array. */
    static SecretHash wrap(byte[] digest) {
        return new SecretHash(digest);
    }

    /**
     * Parses the lowercase hex form produced by {@link #hex()}.
     *
     * @throws IllegalArgumentException when the text is not 64 hex digits
     */
    public static SecretHash fromHex(String hex) {
        if (hex.length() != LENGTH * 2) {
            throw new IllegalArgumentException("a secret hash is " + (LENGTH * 2) + " hex digits");
        }
        return new SecretHash(HEX.parseHex(hex));
    }

    /** Returns the hash as 64 lowercase hex digits, the form stores keep. */
    public String hex() {
        return HEX.formatHex(bytes);
    }

    /** Returns a copy of the raw bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** Compares with another hash in time that does not depend on where they differ. */
    public boolean matches(SecretHash other) {
        return MessageDigest.isEqual(bytes, other.bytes);
    }

    /** {@link #matches} against a raw digest of {@value #LENGTH} bytes, in constant time. */
    boolean matchesDigest(byte[] digest) {
        return MessageDigest.isEqual(bytes, digest);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretHash other && MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Shows only a short prefix: enough to tell hashes apart in a debugger, never enough to matter. */
    @Override
    public String toString() {
        return "SecretHash[" + hex().substring(0, 8) + "…]";
    }
}
