package dev.latchkey.core;

import dev.latchkey.core.internal.Ids;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;

/**
 * The token format: {@code <prefix>_<env>_<key id><secret><checksum>}.
 *
 * <ul>
 *   <li>the key id is the key's 26-character ULID, so a store is looked up by id;</li>
 *   <li>the secret is {@value #SECRET_LENGTH} base-62 characters from {@link SecureRandom} (214 bits);</li>
 *   <li>the checksum is the CRC32 of everything before it, as {@value #CHECKSUM_LENGTH} base-62 characters, so a
 *       mistyped or truncated token is rejected before any cache or store work, and secret scanners can recognise
 *       leaked tokens.</li>
 * </ul>
 *
 * <p>Imported tokens (chosen by the caller) are 8 to 128 characters of {@code [A-Za-z0-9+\-_/=]} and never start
 * with {@code <prefix>_}. Instances are immutable and thread-safe; {@link #classify} allocates nothing.
 */
public final class TokenCodec {

    /** The default prefix of generated tokens. */
    public static final String DEFAULT_PREFIX = "lk";
    /** The number of base-62 characters of secret in a generated token. */
    public static final int SECRET_LENGTH = 36;
    /** The number of base-62 characters of checksum at the end of a generated token. */
    public static final int CHECKSUM_LENGTH = 6;
    /** The shortest importable token. */
    public static final int IMPORTED_MIN = 8;
    /** The longest importable token. */
    public static final int IMPORTED_MAX = 128;

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9]{1,16}");
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final byte[] BASE62 = base62Table();
    private static final int BODY_LENGTH = Ids.LENGTH + SECRET_LENGTH + CHECKSUM_LENGTH;
    private static final int HINT_EDGE = 4;
    private static final int IMPORTED_HINT_MIN = 16;

    private final String prefix;
    private final String livePrefix;
    private final String testPrefix;
    private final SecureRandom random;

    /**
     * Creates a codec for a prefix.
     *
     * @throws IllegalArgumentException when the prefix is not 1 to 16 ASCII letters and digits
     */
    public TokenCodec(String prefix) {
        this(prefix, new SecureRandom());
    }

    TokenCodec(String prefix, SecureRandom random) {
        Objects.requireNonNull(prefix, "prefix");
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("token prefix must be 1 to 16 ASCII letters or digits: " + prefix);
        }
        this.prefix = prefix;
        this.livePrefix = prefix + "_live_";
        this.testPrefix = prefix + "_test_";
        this.random = random;
    }

    /** Returns a codec for {@link #DEFAULT_PREFIX}. */
    public static TokenCodec defaults() {
        return new TokenCodec(DEFAULT_PREFIX);
    }

    /** Returns the prefix of generated tokens. */
    public String prefix() {
        return prefix;
    }

    /** Generates the plaintext of a new token for a key. */
    public String generate(Environment environment, String keyId) {
        if (!Ids.isValid(keyId)) {
            throw new IllegalArgumentException("key id must be a ULID");
        }
        StringBuilder sb = new StringBuilder(livePrefix.length() + BODY_LENGTH);
        sb.append(environment == Environment.LIVE ? livePrefix : testPrefix).append(keyId);
        for (int i = 0; i < SECRET_LENGTH; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        appendChecksum(sb, crc(sb, sb.length()));
        return sb.toString();
    }

    /**
     * Decides what a presented token is, without allocating: the generated form with a valid checksum, an
     * importable value, or malformed. A token that starts with this codec's {@code prefix_} is judged as generated
     * only, so a typo in a generated token never falls through to the imported-token index.
     */
    public TokenForm classify(CharSequence token) {
        int length = token.length();
        if (length > prefix.length() && startsWith(token, prefix) && token.charAt(prefix.length()) == '_') {
            return isGenerated(token) ? TokenForm.GENERATED : TokenForm.MALFORMED;
        }
        return isImportable(token) ? TokenForm.IMPORTED : TokenForm.MALFORMED;
    }

    private boolean isGenerated(CharSequence token) {
        int head = livePrefix.length();
        if (token.length() != head + BODY_LENGTH) {
            return false;
        }
        if (!startsWith(token, livePrefix) && !startsWith(token, testPrefix)) {
            return false;
        }
        if (token.charAt(head) > '7') {
            return false;
        }
        for (int i = head; i < head + Ids.LENGTH; i++) {
            if (!Ids.isCrockford(token.charAt(i))) {
                return false;
            }
        }
        for (int i = head + Ids.LENGTH; i < token.length(); i++) {
            if (base62(token.charAt(i)) < 0) {
                return false;
            }
        }
        int checked = token.length() - CHECKSUM_LENGTH;
        return decodeChecksum(token, checked) == crc(token, checked);
    }

    /** Returns the environment of a token that {@link #classify} found {@link TokenForm#GENERATED}. */
    public Environment environmentOf(CharSequence generatedToken) {
        return startsWith(generatedToken, livePrefix) ? Environment.LIVE : Environment.TEST;
    }

    /** Returns the key id inside a token that {@link #classify} found {@link TokenForm#GENERATED}. */
    public String keyIdOf(CharSequence generatedToken) {
        int head = livePrefix.length();
        return generatedToken.subSequence(head, head + Ids.LENGTH).toString();
    }

    /** Returns whether a caller may import this value as its token (length, alphabet, not our prefix). */
    public boolean isImportable(CharSequence token) {
        return importProblem(token) == null;
    }

    /**
     * Explains why a value cannot be imported, or returns {@code null} when it can. The explanation never
     * repeats the value.
     */
    public @Nullable String importProblem(CharSequence token) {
        int length = token.length();
        if (length < IMPORTED_MIN || length > IMPORTED_MAX) {
            return "must be " + IMPORTED_MIN + " to " + IMPORTED_MAX + " characters";
        }
        for (int i = 0; i < length; i++) {
            char c = token.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '+' || c == '-' || c == '_' || c == '/' || c == '=';
            if (!ok) {
                return "must contain only [A-Za-z0-9+\\-_/=]";
            }
        }
        if (startsWith(token, prefix) && length > prefix.length() && token.charAt(prefix.length()) == '_') {
            return "must not start with the generated prefix " + prefix + "_";
        }
        return null;
    }

    /**
     * Returns what a listing shows for a token: for generated tokens the prefix, environment and the first and last
     * four characters of the rest ({@code lk_live_01JD…7Q4x}); for imported tokens only the last four, and only
     * when the token has 16 or more characters.
     */
    public String hint(String token, boolean imported) {
        if (imported) {
            return token.length() >= IMPORTED_HINT_MIN ? "…" + token.substring(token.length() - HINT_EDGE) : "…";
        }
        int head = livePrefix.length();
        return token.substring(0, head + HINT_EDGE) + "…" + token.substring(token.length() - HINT_EDGE);
    }

    private static byte[] base62Table() {
        byte[] table = new byte[128];
        java.util.Arrays.fill(table, (byte) -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            table[ALPHABET.charAt(i)] = (byte) i;
        }
        return table;
    }

    private static int base62(char c) {
        return c < 128 ? BASE62[c] : -1;
    }

    private static boolean startsWith(CharSequence s, String p) {
        if (s.length() < p.length()) {
            return false;
        }
        for (int i = 0; i < p.length(); i++) {
            if (s.charAt(i) != p.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Per-thread scratch space, so the checksum is one intrinsic pass over bytes rather than a call per char. */
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[IMPORTED_MAX + 64]);

    private static long crc(CharSequence s, int end) {
        byte[] buf = SCRATCH.get();
        if (buf.length < end) {
            buf = new byte[end];
        }
        for (int i = 0; i < end; i++) {
            buf[i] = (byte) s.charAt(i);
        }
        CRC32 crc = new CRC32();
        crc.update(buf, 0, end);
        return crc.getValue();
    }

    private static void appendChecksum(StringBuilder sb, long value) {
        char[] digits = new char[CHECKSUM_LENGTH];
        long v = value;
        for (int i = CHECKSUM_LENGTH - 1; i >= 0; i--) {
            digits[i] = ALPHABET.charAt((int) (v % 62));
            v /= 62;
        }
        sb.append(digits);
    }

    private static long decodeChecksum(CharSequence s, int from) {
        long v = 0;
        for (int i = from; i < from + CHECKSUM_LENGTH; i++) {
            v = v * 62 + base62(s.charAt(i));
        }
        return v;
    }
}
