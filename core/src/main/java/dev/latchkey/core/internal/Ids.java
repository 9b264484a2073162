package dev.latchkey.core.internal;

import com.github.f4b6a3.ulid.UlidCreator;

/** Generates the ids of keys, rules, jobs and usage batches: ULIDs, so ids sort by creation time. */
public final class Ids {

    /** The length of a ULID in its canonical Crockford base-32 text. */
    public static final int LENGTH = 26;

    private Ids() {
    }

    /** Returns a new ULID, monotonic within this JVM. */
    public static String next() {
        return UlidCreator.getMonotonicUlid().toString();
    }

    /** Returns whether {@code text} is a canonical (uppercase) ULID. */
    public static boolean isValid(CharSequence text) {
        if (text.length() != LENGTH) {
            return false;
        }
        if (text.charAt(0) > '7') {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            if (!isCrockford(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    public static boolean isCrockford(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z' && c != 'I' && c != 'L' && c != 'O' && c != 'U');
    }
}
