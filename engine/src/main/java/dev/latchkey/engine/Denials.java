package dev.latchkey.engine;

import dev.latchkey.core.VerifyCode;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The one table of denials (API.md §4 and §5): which status, problem code, title, detail and
 * {@code WWW-Authenticate} challenge each refusal gets. Every door answers through it, so the filter, the admin
 * service and the gateway can never word a refusal differently. Status words ({@code inactive}, {@code blocked},
 * {@code expired}) only ever come from a verification whose secret matched.
 *
 * <p>Immutable and thread-safe; the fixed denials of one realm are built once.
 *
 * @since 0.1
 */
public final class Denials {

    private final String challenge;
    private final String invalidToken;
    private final Map<VerifyCode, Denial> byCode = new EnumMap<>(VerifyCode.class);
    private final Denial storeUnavailable;
    private final Denial badPath;
    private final Denial conflict;

    /**
     * Creates the table for a realm.
     *
     * @param realm the realm named in {@code WWW-Authenticate}
     */
    public Denials(String realm) {
        this.challenge = "Bearer realm=\"" + realm + "\"";
        this.invalidToken = challenge + ", error=\"invalid_token\"";
        unauthenticated(VerifyCode.MALFORMED, "the API key is not a valid token");
        unauthenticated(VerifyCode.NOT_FOUND, "the API key is not known");
        unauthenticated(VerifyCode.INACTIVE, "the API key is inactive");
        unauthenticated(VerifyCode.BLOCKED, "the API key is blocked");
        unauthenticated(VerifyCode.EXPIRED, "the API key has expired");
        byCode.put(VerifyCode.IP_NOT_ALLOWED, new Denial(403, "ip_not_allowed", "ip_not_allowed",
                "IP address not allowed", "ip_not_allowed: the key may not be used from this address", null, null,
                Map.of()));
        this.storeUnavailable = new Denial(503, "store_unavailable", "store_unavailable", "Store unavailable",
                "The key store cannot be reached; try again shortly", null, 1L, Map.of());
        this.badPath = new Denial(400, "invalid_request", "invalid_request", "Invalid request",
                "The request path is refused: an encoded '/' or '\\', a control character, invalid percent-encoding,"
                        + " or '..' above the root", null, null, Map.of());
        this.conflict = new Denial(400, "invalid_request", "invalid_request", "Invalid request",
                "The request carries more than one different API key", challenge + ", error=\"invalid_request\"",
                null, Map.of());
    }

    private void unauthenticated(VerifyCode code, String text) {
        byCode.put(code, new Denial(401, "unauthenticated", code.wire(), "Unauthenticated",
                code.wire() + ": " + text, invalidToken, null, Map.of()));
    }

    /** Returns the {@code WWW-Authenticate} value without an error: {@code Bearer realm="..."}. */
    public String challenge() {
        return challenge;
    }

    /**
     * Returns the denial of a verification outcome.
     *
     * @param code     a denied outcome (not {@link VerifyCode#VALID})
     * @param required the scopes the request needed (named for {@link VerifyCode#INSUFFICIENT_SCOPE})
     * @throws IllegalArgumentException for {@link VerifyCode#VALID} or a code that needs its own method
     */
    public Denial of(VerifyCode code, Collection<String> required) {
        Denial d = byCode.get(code);
        if (d != null) {
            return d;
        }
        if (code == VerifyCode.INSUFFICIENT_SCOPE) {
            String scopes = String.join(" ", required);
            return new Denial(403, "insufficient_scope", "insufficient_scope", "Insufficient scope",
                    "insufficient_scope: this request needs " + scopes, challenge
                            + ", error=\"insufficient_scope\", scope=\"" + scopes + "\"", null, Map.of());
        }
        throw new IllegalArgumentException("no denial for " + code);
    }

    /**
     * Returns the denial of a request with no token.
     *
     * @param apiKeyHeader the second header that may carry a token, or {@code null}
     */
    public Denial missing(@Nullable String apiKeyHeader) {
        return new Denial(401, "unauthenticated", "missing", "Unauthenticated",
                "missing: send an API key in Authorization: Bearer" + (apiKeyHeader == null ? "" : " or "
                        + apiKeyHeader), challenge, null, Map.of());
    }

    /** Returns the denial of a request that carries two different tokens. */
    public Denial conflictingTokens() {
        return conflict;
    }

    /** Returns the denial of a path that cannot be normalized safely. */
    public Denial badPath() {
        return badPath;
    }

    /** Returns the denial of a key that cannot be verified because the store is unreachable (503, fail closed). */
    public Denial storeUnavailable() {
        return storeUnavailable;
    }

    /**
     * Returns the denial of a key over its rate limit (429 {@code rate_limited}), with the RateLimit headers.
     *
     * @param retryAfterSeconds whole seconds until the window ends, at least 1
     */
    public Denial rateLimited(long retryAfterSeconds, Map<String, String> headers) {
        return new Denial(429, "rate_limited", "rate_limited", "Too many requests",
                "rate_limited: this key is over its rate limit; try again when the window ends", null,
                Math.max(1, retryAfterSeconds), headers);
    }

    /**
     * Returns the denial of a key whose refilling quota is spent (429 {@code quota_exceeded}).
     *
     * @param retryAfterSeconds whole seconds until the balance refills, at least 1
     */
    public Denial quotaExceeded(long retryAfterSeconds, Map<String, String> headers) {
        return new Denial(429, "quota_exceeded", "quota_exceeded", "Quota exceeded",
                "quota_exceeded: this key's quota is spent until it refills", null, Math.max(1, retryAfterSeconds),
                headers);
    }

    /** Returns the denial of a key whose prepaid credits are spent (403 {@code quota_exhausted}, no retry time). */
    public Denial quotaExhausted(Map<String, String> headers) {
        return new Denial(403, "quota_exhausted", "quota_exhausted", "Quota exhausted",
                "quota_exhausted: this key's prepaid credits are spent", null, null, headers);
    }

    /**
     * Returns the denial of a client address past its failed-authentication limit (429 {@code too_many_failures}).
     *
     * @param retryAfterSeconds whole seconds until the address's count starts again, at least 1
     */
    public Denial tooManyFailures(long retryAfterSeconds) {
        return new Denial(429, "too_many_failures", "too_many_failures", "Too many failed authentications",
                "too_many_failures: this address failed to authenticate too often; try again later", null,
                Math.max(1, retryAfterSeconds), Map.of());
    }
}
