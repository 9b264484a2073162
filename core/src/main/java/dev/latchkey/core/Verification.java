package dev.latchkey.core;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The result of {@link Verifier#verify}: granted with the key, or denied with a reason.
 *
 * @param code           the outcome
 * @param key            the key when the secret matched (even if it was then denied for status, IP or scope),
 *                       else {@code null}
 * @param previousSecret whether the token was the rotated-out secret inside its grace window
 */
public record Verification(VerifyCode code, @Nullable ApiKey key, boolean previousSecret) {

    private static final Verification MALFORMED = new Verification(VerifyCode.MALFORMED, null, false);
    private static final Verification NOT_FOUND = new Verification(VerifyCode.NOT_FOUND, null, false);

    public Verification {
        Objects.requireNonNull(code, "code");
        if (code == VerifyCode.VALID && key == null) {
            throw new IllegalArgumentException("a valid verification carries its key");
        }
    }

    /** A denial for a token that is not a token. */
    public static Verification malformed() {
        return MALFORMED;
    }

    /** A denial for an unknown key or a wrong secret. */
    public static Verification notFound() {
        return NOT_FOUND;
    }

    /** Returns whether access is granted. */
    public boolean valid() {
        return code == VerifyCode.VALID;
    }
}
