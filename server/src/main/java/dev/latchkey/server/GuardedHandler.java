package dev.latchkey.server;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.glassfish.grizzly.CompletionHandler;
import org.glassfish.grizzly.ReadHandler;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.io.NIOInputStream;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.grizzly.http.server.TimeoutHandler;
import org.glassfish.grizzly.http.util.MimeHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands in front of an application's {@link HttpHandler}: refuses {@code TRACE} (405, when the server does not
 * pass it on), {@code CONNECT} (405), a method that is not a token or a target that is not a path (400) and a
 * request URI the application could not parse (400, logged), asks the {@link BodyGate} before any
 * body is read, reads a body without holding a worker (the response is suspended while the bytes arrive, up to the
 * limit and within the body timeout) and only then hands the request on, its body in memory, so the application's
 * blocking reads never wait on the network. A failure that escapes the application becomes a problem too, never
 * Grizzly's HTML page. Every problem written here has its status line chosen by the {@link RefusalRule}.
 *
 * <p>The application must answer synchronously: a handler that suspends the response itself is not supported
 * behind the body read.
 */
final class GuardedHandler extends HttpHandler {

    /**
     * The most of a refused request's body that is read and dropped after its answer, before the connection closes:
     * 1 MiB. A connection closed with unread bytes in its receive buffer is reset, and the reset can destroy the
     * answer before the client has read it. A longer body is left unread and the connection closed on it.
     */
    static final long REFUSED_BODY_SKIP_BYTES = 1024 * 1024;

    /**
     * The {@code Allow} header of a refused {@code TRACE} or {@code CONNECT}: the methods Grizzly named when it
     * refused a {@code TRACE} itself.
     */
    static final String TRACE_REFUSED_ALLOW = "POST, GET, DELETE, OPTIONS, PUT, HEAD";

    private static final Logger LOG = LoggerFactory.getLogger(HttpServerGuards.class);

    private final HttpHandler delegate;
    private final GuardOptions options;
    private final boolean refuseTrace;

    GuardedHandler(HttpHandler delegate, GuardOptions options, boolean refuseTrace) {
        super(delegate.getName());
        this.delegate = delegate;
        this.options = options;
        this.refuseTrace = refuseTrace;
        setAllowEncodedSlash(delegate.isAllowEncodedSlash());
        setRequestURIEncoding(delegate.getRequestURIEncoding());
    }

    HttpHandler delegate() {
        return delegate;
    }

    @Override
    public void start() {
        delegate.start();
    }

    @Override
    public void destroy() {
        delegate.destroy();
    }

    @Override
    public void service(Request request, Response response) throws Exception {
        // One id per request, for every layer: the application reads back the (accepted or new) id set here.
        String id = options.requestId(request.getHeader(GuardedCodecFilter.REQUEST_ID_HEADER));
        MimeHeaders headers = request.getRequest().getHeaders();
        headers.removeHeader(GuardedCodecFilter.REQUEST_ID_HEADER);
        headers.addValue(GuardedCodecFilter.REQUEST_ID_HEADER).setString(id);
        boolean hasBody = request.getContentLengthLong() > 0 || request.getRequest().isChunked();
        Method method = request.getMethod();
        if (!RequestUris.methodIsToken(method.getMethodString())) {
            answer(request, response, Problem.of(400, "invalid_request",
                    "the request line is malformed: the method is not a token"), true);
            return;
        }
        if (refuseTrace && method == Method.TRACE || method == Method.CONNECT) {
            // Grizzly writes neither a length nor a body in any answer to CONNECT (it expects a tunnel), so the
            // refusal is written as the answer to a GET; the connection still closes after it.
            request.getRequest().setMethod(Method.GET);
            answer(request, response, new Problem(405, "method_not_allowed", method.getMethodString()
                    + " is not served", Map.of("Allow", TRACE_REFUSED_ALLOW)), hasBody || method == Method.CONNECT);
            return;
        }
        if (!RequestUris.servedTarget(request.getRequestURI(), method == Method.OPTIONS)) {
            answer(request, response, Problem.of(400, "invalid_request",
                    "the request target must be a path starting with /"), hasBody);
            return;
        }
        if (!RequestUris.valid(request.getRequestURI(), request.getQueryString())) {
            LOG.warn("Refused a request with an undecodable URI from {} (request_id={})", request.getRemoteAddr(),
                    requestId(request));
            answer(request, response, Problem.of(400, "invalid_request",
                    "the request URI is not valid: a malformed %-escape or a character that must be %-encoded"),
                    hasBody);
            return;
        }
        if (!hasBody) {
            dispatch(request, response);
            return;
        }
        Problem refused;
        try {
            refused = options.bodyGate().check(request);
        } catch (RuntimeException e) {
            LOG.error("The body gate failed (request_id={})", requestId(request), e);
            refused = Problem.of(500, "internal", "an internal error occurred; quote the request id when reporting it");
        }
        if (refused != null) {
            answer(request, response, refused, true);
            return;
        }
        if (request.getContentLengthLong() > options.maxBodyBytes()) {
            answer(request, response, tooLarge(), true);
            return;
        }
        NIOInputStream in = request.getNIOInputStream();
        if (in.isFinished() || in.readyData() > options.maxBodyBytes()) {
            if (in.readyData() > options.maxBodyBytes()) {
                answer(request, response, tooLarge(), true);
            } else {
                dispatch(request, response);
            }
            return;
        }
        BodyRead read = new BodyRead(request, response, in);
        response.suspend(options.bodyTimeout().toMillis(), TimeUnit.MILLISECONDS, read, read);
        in.notifyAvailable(read, options.maxBodyBytes() + 1);
    }

    private Problem tooLarge() {
        return Problem.of(413, "payload_too_large",
                "the request body is larger than " + GuardedCodecFilter.kib(options.maxBodyBytes()));
    }

    /** Runs the application; a failure it lets escape is answered as a problem. */
    private void dispatch(Request request, Response response) {
        try {
            delegate.service(request, response);
        } catch (Exception e) {
            if (response.isCommitted()) {
                LOG.error("The application failed after answering (request_id={})", requestId(request), e);
                return;
            }
            if (causedBy(e, URISyntaxException.class)) {
                LOG.warn("Refused a request with an undecodable URI from {} (request_id={})",
                        request.getRemoteAddr(), requestId(request));
                answer(request, response, Problem.of(400, "invalid_request", "the request URI is not valid"), false);
            } else {
                LOG.error("Internal error (request_id={})", requestId(request), e);
                answer(request, response, Problem.of(500, "internal",
                        "an internal error occurred; quote the request id when reporting it"), false);
            }
        }
    }

    private static String requestId(Request request) {
        return String.valueOf(request.getHeader(GuardedCodecFilter.REQUEST_ID_HEADER)); // set by service
    }

    /**
     * Writes a problem as the whole answer. With {@code close}, the request's unread body is given up: the
     * connection closes after the answer, once Grizzly has dropped the rest of the body (up to
     * {@link #REFUSED_BODY_SKIP_BYTES}; beyond that it closes at once).
     */
    void answer(Request request, Response response, Problem problem, boolean close) {
        String id = requestId(request);
        byte[] body = problem.toJson(id, request.getRequestURI(), options.clock().instant(),
                        request.getHeader("traceparent"))
                .getBytes(StandardCharsets.UTF_8);
        try {
            response.reset();
            response.setContentType(Problem.MEDIA_TYPE);
            response.setContentLength(body.length);
            response.setHeader(GuardedCodecFilter.REQUEST_ID_HEADER, id);
            response.setStatus(Refusals.head(options, request.getRequestURI(), problem, response::setHeader));
            if (close) {
                response.setHeader("Connection", "close");
            }
            response.getOutputStream().write(body);
        } catch (IOException | RuntimeException e) { // the client left, or the response is already gone
            LOG.debug("Could not write a problem answer (request_id={}): {}", id, e.toString());
        }
    }

    private static boolean causedBy(Throwable thrown, Class<? extends Throwable> type) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * One body being read while the response is suspended: exactly one of complete, too large, failed or timed out
     * settles it; the others then do nothing.
     */
    private final class BodyRead implements ReadHandler, TimeoutHandler, CompletionHandler<Response> {
        private final Request request;
        private final Response response;
        private final NIOInputStream in;
        private final AtomicBoolean settled = new AtomicBoolean();
        private volatile boolean resumed;

        BodyRead(Request request, Response response, NIOInputStream in) {
            this.request = request;
            this.response = response;
            this.in = in;
        }

        @Override
        public void onDataAvailable() {
            if (in.readyData() > options.maxBodyBytes()) {
                if (settled.compareAndSet(false, true)) {
                    finish(tooLarge(), true);
                }
            } else if (!settled.get()) {
                in.notifyAvailable(this, options.maxBodyBytes() + 1);
            }
        }

        @Override
        public void onAllDataRead() {
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            dispatch(request, response);
            if (!resumed) {
                response.resume();
            }
        }

        @Override
        public void onError(Throwable t) {
            if (settled.compareAndSet(false, true)) {
                LOG.debug("A request body could not be read (request_id={}): {}", requestId(request), t.toString());
                finish(Problem.of(400, "invalid_request", "the request body could not be read"), true);
            }
        }

        @Override
        public boolean onTimeout(Response timedOut) {
            if (!settled.compareAndSet(false, true)) {
                return false; // the body is in and the application is answering: give it time
            }
            LOG.warn("Gave up on a request body that did not arrive within {} ms from {} (request_id={})",
                    options.bodyTimeout().toMillis(), request.getRemoteAddr(), requestId(request));
            finish(Problem.of(400, "invalid_request", "the request body did not arrive within "
                    + options.bodyTimeout().toMillis() + " ms"), true);
            return false; // answered and resumed here: Grizzly's own timeout would cancel without answering
        }

        private void finish(Problem problem, boolean close) {
            answer(request, response, problem, close);
            if (!resumed) {
                try {
                    response.resume();
                } catch (IllegalStateException e) {
                    LOG.debug("The response was already finished: {}", e.toString());
                }
            }
        }

        @Override
        public void completed(Response result) {
            resumed = true;
        }

        @Override
        public void cancelled() {
            resumed = true;
        }

        @Override
        public void failed(Throwable throwable) {
            resumed = true;
        }

        @Override
        public void updated(Response result) {
            // progress is of no interest
        }
    }
}
