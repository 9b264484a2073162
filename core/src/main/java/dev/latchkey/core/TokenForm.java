package dev.latchkey.core;

/** What a presented token looks like, decided by {@link TokenCodec#classify} before any lookup. */
public enum TokenForm {
    /** A token Latchkey generated: prefix, environment, key id, secret and a valid checksum. */
    GENERATED,
    /** A caller-chosen token imported on create: found through the hash index. */
    IMPORTED,
    /** Neither: rejected without touching a cache or a store. */
    MALFORMED
}
