package dev.latchkey.core.admin;

import org.jspecify.annotations.Nullable;

/**
 * A field present in a patch: its new value, which may be {@code null} to clear it. A patch leaves fields it does
 * not carry (a {@code null} {@code Change}) untouched.
 */
public record Change<T>(@Nullable T value) {

    /** A change to {@code value}. */
    public static <T> Change<T> to(@Nullable T value) {
        return new Change<>(value);
    }
}
