package dev.latchkey.server;

import org.glassfish.grizzly.http.server.Request;
import org.jspecify.annotations.Nullable;

/**
 * Decides, from a request's head alone, whether its body may be read at all: the place for authentication, so that
 * an unauthenticated caller never makes the server read (or wait for) a body. Called on a worker thread for every
 * request that announces a body ({@code Content-Length} above 0 or {@code Transfer-Encoding: chunked}), before any
 * of it is read; requests without a body go straight to the application, which judges them itself.
 *
 * <p>A gate may leave what it learned (the authenticated caller) in a request attribute for the application.
 * Implementations must be thread-safe.
 */
@FunctionalInterface
public interface BodyGate {

    /** The gate that lets every body through. */
    BodyGate OPEN = request -> null;

    /**
     * Returns {@code null} to read the body and pass the request on, or the problem to answer at once; the body is
     * then never read and the connection is closed after the answer.
     *
     * @param request the request, whose body has not been read
     */
    @Nullable Problem check(Request request);
}
