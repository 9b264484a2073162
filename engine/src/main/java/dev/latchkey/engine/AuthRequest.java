package dev.latchkey.engine;

import java.util.Iterator;
import org.jspecify.annotations.Nullable;

/**
 * What the {@link Authenticator} reads of a request, as a door sees it: the filter adapts an
 * {@code HttpServletRequest}, the gateway a forwarded request's headers. Implementations are read once per
 * request, on the request's thread.
 *
 * @since 0.1
 */
public interface AuthRequest {

    /** Returns the request method, such as {@code GET} (any case). */
    String method();

    /**
     * Returns the request path as sent, still percent-encoded and without the query string, such as
     * {@code /app/reports/42}.
     */
    String requestUri();

    /** Returns the application's context path that {@link #requestUri()} starts with, or {@code ""}. */
    default String contextPath() {
        return "";
    }

    /** Returns every value of a header, in order; an empty iterator when there is none. */
    Iterator<String> headers(String name);

    /** Returns the first value of a header, or {@code null}. */
    default @Nullable String header(String name) {
        Iterator<String> it = headers(name);
        return it.hasNext() ? it.next() : null;
    }

    /** Returns the address of the peer that sent the request (the socket address), or {@code null}. */
    @Nullable String remoteAddress();
}
