package dev.latchkey.engine;

/**
 * A {@link Decision} that needs no key: the request goes on without a principal.
 *
 * @since 0.1
 */
public enum Pass implements Decision {
    /** The path matches an exclude pattern. */
    EXCLUDED,
    /** A CORS preflight ({@code OPTIONS} without credentials) that the settings let through. */
    PREFLIGHT
}
