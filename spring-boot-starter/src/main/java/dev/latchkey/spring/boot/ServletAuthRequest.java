package dev.latchkey.spring.boot;

import dev.latchkey.engine.AuthRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Iterator;
import org.jspecify.annotations.Nullable;

/** An {@link HttpServletRequest} as the engine reads it. */
final class ServletAuthRequest implements AuthRequest {

    private final HttpServletRequest request;

    ServletAuthRequest(HttpServletRequest request) {
        this.request = request;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String requestUri() {
        return request.getRequestURI();
    }

    @Override
    public String contextPath() {
        return request.getContextPath();
    }

    @Override
    public Iterator<String> headers(String name) {
        Enumeration<String> e = request.getHeaders(name);
        return e == null ? Collections.emptyIterator() : e.asIterator();
    }

    @Override
    public @Nullable String remoteAddress() {
        return request.getRemoteAddr();
    }
}
