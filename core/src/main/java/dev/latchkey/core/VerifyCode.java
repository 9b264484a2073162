package dev.latchkey.core;

/**
 * The outcome of a verification, as {@code POST /v1/verify} names it in {@code code}. Only {@link #VALID} grants.
 * {@link #NOT_FOUND} covers both an unknown id and a wrong secret, which must stay indistinguishable; status words
 * ({@link #INACTIVE}, {@link #BLOCKED}, {@link #EXPIRED}) are only given after the secret matched.
 */
public enum VerifyCode {
    VALID("valid", 200),
    MALFORMED("malformed", 401),
    NOT_FOUND("not_found", 401),
    INACTIVE("inactive", 401),
    BLOCKED("blocked", 401),
    EXPIRED("expired", 401),
    IP_NOT_ALLOWED("ip_not_allowed", 403),
    INSUFFICIENT_SCOPE("insufficient_scope", 403),
    /** Over the key's rate limit (decided by the engine after a valid verification, API.md §8). */
    RATE_LIMITED("rate_limited", 429),
    /** A refilling quota is spent until it refills (decided by the engine, API.md §8). */
    QUOTA_EXCEEDED("quota_exceeded", 429),
    /** Prepaid credits are spent (decided by the engine, API.md §8). */
    QUOTA_EXHAUSTED("quota_exhausted", 403);

    private final String wire;
    private final int httpStatus;

    VerifyCode(String wire, int httpStatus) {
        this.wire = wire;
        this.httpStatus = httpStatus;
    }

    /** Returns the lowercase name used on the wire. */
    public String wire() {
        return wire;
    }

    /** Returns the HTTP status a denial with this code maps to (200 for {@link #VALID}). */
    public int httpStatus() {
        return httpStatus;
    }
}
