package dev.latchkey.server;

import java.util.Map;
import org.glassfish.grizzly.http.server.ErrorPageGenerator;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.grizzly.http.util.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces Grizzly's HTML error page (which names exceptions and prints stack frames) with a problem body: a 4xx
 * becomes {@code invalid_request} (413 {@code payload_too_large}), a 503 {@code store_unavailable} with
 * {@code Retry-After: 1} (API.md's one code for a 503; a gateway retries it), anything else 500
 * {@code internal}, its status line chosen by the {@link RefusalRule}. The exception, if any, is logged, never
 * written.
 */
final class ProblemErrorPages implements ErrorPageGenerator {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServerGuards.class);

    private final GuardOptions options;

    ProblemErrorPages(GuardOptions options) {
        this.options = options;
    }

    @Override
    public String generate(Request request, int status, String reasonPhrase, String description, Throwable exception) {
        String id = options.requestId(request.getHeader(GuardedCodecFilter.REQUEST_ID_HEADER));
        Problem problem;
        if (status == 413) {
            problem = Problem.of(413, "payload_too_large", "the request body is too large");
        } else if (status == 503) {
            problem = new Problem(503, "store_unavailable", "the server cannot serve this request now; try again",
                    Map.of("Retry-After", "1"));
        } else if (status >= 400 && status < 500) {
            problem = Problem.of(400, "invalid_request", "the request cannot be served");
        } else {
            problem = Problem.of(500, "internal", "an internal error occurred; quote the request id when reporting it");
        }
        if (exception != null) {
            LOG.error("Internal error answered by the HTTP server (request_id={})", id, exception);
        } else {
            LOG.warn("The HTTP server answered {} itself (request_id={})", status, id);
        }
        Response response = request.getResponse();
        response.setContentType(Problem.MEDIA_TYPE);
        response.setCharacterEncoding("UTF-8");
        response.setHeader(GuardedCodecFilter.REQUEST_ID_HEADER, id);
        response.setStatus(HttpStatus.getHttpStatus(
                Refusals.head(options, request.getRequestURI(), problem, response::setHeader)));
        return problem.toJson(id, request.getRequestURI(), options.clock().instant(),
                request.getHeader("traceparent"));
    }
}
