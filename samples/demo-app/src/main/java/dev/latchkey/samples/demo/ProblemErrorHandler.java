package dev.latchkey.samples.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.latchkey.engine.ProblemJson;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Renders the answers Jetty writes itself (a URI it refuses before any filter runs, a path no servlet maps, a method
 * a servlet does not implement) as API.md §4 problems: {@code Content-Type: application/problem+json} exactly,
 * {@code X-Content-Type-Options: nosniff} and {@code Cache-Control: no-store}, whatever the request's
 * {@code Accept}. Installed as both the server's and the context's error handler by {@link DemoJetty}.
 *
 * <p>The body has no {@code instance}: a request Jetty could not parse has no path to name. Codes follow §4's
 * table by status; a status §4 has no code for reads {@code invalid_request} (4xx) or
 * {@code internal} (5xx). The detail is fixed per status, never Jetty's message.
 *
 * <p>Thread-safe (stateless).
 */
final class ProblemErrorHandler implements Request.Handler {

    private static final String REFUSED = "The request is refused: malformed, or its path is ambiguous (an encoded"
            + " '/' or '\\', an empty, '.' or '..' segment written encoded or with parameters, invalid"
            + " percent-encoding)";

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        if (request.getAttribute(ErrorHandler.ERROR_EXCEPTION) instanceof HttpException e) {
            status = e.getCode();
            response.setStatus(status);
        }
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(DemoJetty.NOSNIFF);
        if (HttpStatus.hasNoBody(status)) {
            callback.succeeded();
            return true;
        }
        byte[] body;
        try {
            body = Json.MAPPER.writeValueAsBytes(Json.problemBody(status, code(status), title(status),
                    detail(status)));
        } catch (JsonProcessingException e) {
            callback.failed(e);
            return true;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Json.PROBLEM_TYPE);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    /** Returns the API.md §4 code for a status Jetty answered (the engine's table). */
    static String code(int status) {
        return ProblemJson.codeFor(status);
    }

    private static String title(int status) {
        return status >= 500 ? "Internal error" : status == 400 ? "Invalid request" : HttpStatus.getMessage(status);
    }

    /**
     * Returns a fixed detail per status: Jetty's message (an exception's text, a parser's complaint quoting the
     * request) is logged by Jetty, never echoed, so no header value (a token) can reach the body.
     */
    private static String detail(int status) {
        return status == 400 ? REFUSED : HttpStatus.getMessage(status);
    }
}
