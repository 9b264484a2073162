package dev.latchkey.filter;

import dev.latchkey.engine.AuthRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An {@link HttpServletRequest} as the engine reads it, for any servlet door on an
 * {@link dev.latchkey.engine.Authenticator}: the method, the request URI as sent with its context path, the headers
 * and the socket's remote address (trusted proxies are the engine's business). It reads the request lazily, so make
 * one per request and use it on the request's thread.
 *
 * @since 0.1
 */
public final class ServletAuthRequest implements AuthRequest {

    private final HttpServletRequest request;

    /**
     * Wraps {@code request}.
     *
     * @throws NullPointerException when {@code request} is null
     */
    public ServletAuthRequest(HttpServletRequest request) {
        this.request = Objects.requireNonNull(request, "request");
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String requestUri() {
        return request.getRequestURI();
    }

    /**
     * The application's context path as its {@link jakarta.servlet.ServletContext} holds it: a field read, where
     * Tomcat's {@code HttpServletRequest.getContextPath()} re-derives the path from the raw URI on every call. The
     * engine compares it with the raw request URI and, when the URI spells it differently (encoded, with
     * parameters), compares their normalized forms, so the canonical form is all it needs.
     */
    @Override
    public String contextPath() {
        return request.getServletContext().getContextPath();
    }

    /**
     * Asks the container for the header's first value before its values: most requests carry only one of the two
     * credential headers, and containers such as Tomcat build an enumeration even for an absent header, where the
     * first-value lookup allocates nothing.
     */
    @Override
    public Iterator<String> headers(String name) {
        if (request.getHeader(name) == null) {
            return Collections.emptyIterator();
        }
        Enumeration<String> e = request.getHeaders(name);
        return e == null ? Collections.emptyIterator() : e.asIterator();
    }

    @Override
    public @Nullable String remoteAddress() {
        return request.getRemoteAddr();
    }
}
