package dev.latchkey.engine;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Decision} that refuses, with everything a door needs to answer it as API.md §4 says. Made only by
 * {@link Denials}, the one table of denials.
 *
 * @param status            the HTTP status (400, 401, 403, 429, 503)
 * @param code              the problem's {@code code} ({@code unauthenticated}, {@code insufficient_scope}, ...)
 * @param reason            the finer reason, as {@code POST /v1/verify} names it in {@code code} and the
 *                          {@code latchkey.auth.requests} meter in {@code outcome} ({@code not_found}, {@code blocked},
 *                          {@code missing}, {@code store_unavailable}, ...)
 * @param title             the problem's {@code title}
 * @param detail            the problem's {@code detail} (never a token)
 * @param challenge         the {@code WWW-Authenticate} value, or {@code null} for none
 * @param retryAfterSeconds the {@code Retry-After} value in whole seconds (and {@code retry_after} of a 429 body), or
 *                          {@code null}
 * @param headers           further headers of the answer (rate-limit headers); empty when none
 * @since 0.1
 */
public record Denial(int status, String code, String reason, String title, String detail, @Nullable String challenge,
        @Nullable Long retryAfterSeconds, Map<String, String> headers) implements Decision {

    public Denial {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(detail, "detail");
        headers = Map.copyOf(headers);
    }

    /**
     * Returns the {@code retry_after} member of this denial's problem body (API.md §4): the {@code Retry-After} seconds
     * of a 429 ({@code rate_limited}, {@code quota_exceeded}, {@code too_many_failures}), {@code null} otherwise (a
     * 503 sends only the header). Every door renders it from here, so their bodies agree.
     */
    public @Nullable Long bodyRetryAfter() {
        return status == 429 ? retryAfterSeconds : null;
    }

    /** Returns a copy with {@code headers} in place of this one's. */
    public Denial withHeaders(Map<String, String> headers) {
        return new Denial(status, code, reason, title, detail, challenge, retryAfterSeconds, headers);
    }
}
