package dev.latchkey.core;

/**
 * The three outcomes usage history counts per key and minute (API.md §10). A wrong secret is none of them: it is
 * never charged to a key, so nobody can inflate another key's figures.
 */
public enum UsageOutcome {
    /** A use: the request was admitted. */
    VALID,
    /** The key's secret was proved but the request was refused: status, expiry, IP or scope. */
    DENIED,
    /** Refused by a rate limit or quota (§8: rate_limited, quota_exceeded, quota_exhausted). */
    RATE_LIMITED
}
