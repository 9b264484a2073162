package dev.latchkey.server;

import java.nio.charset.StandardCharsets;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.http.ContentEncoding;
import org.glassfish.grizzly.http.HttpCodecFilter;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.HttpPacketParsing;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.http.HttpServerFilter;
import org.glassfish.grizzly.http.Protocol;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.util.Header;
import org.glassfish.grizzly.http.util.HttpStatus;
import org.glassfish.grizzly.http.util.MimeHeaders;
import org.glassfish.grizzly.memory.Buffers;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grizzly's HTTP codec with two changes: every response it encodes carries {@code X-Content-Type-Options: nosniff}
 * and its {@code Content-Type}, even to a request without an HTTP version; and the answers it writes itself for a
 * request it cannot parse (a head over the size limit, too many header fields, a malformed request line, header or
 * chunk) are 400 {@code invalid_request} problems instead of a bare 400, their status line chosen by the
 * {@link RefusalRule}. A request line too long to read gets as {@code instance} the start of its target, made safe as
 * every instance is ({@link Problem#instance}).
 * Each such refusal is logged at WARN, with the client address and the reason, never a header's value.
 */
final class GuardedCodecFilter extends HttpServerFilter {

    static final String NOSNIFF_HEADER = "X-Content-Type-Options";
    static final String REQUEST_ID_HEADER = "X-Request-Id";

    private static final Logger LOG = LoggerFactory.getLogger(HttpServerGuards.class);
    private static final String DETAIL = GuardedCodecFilter.class.getName() + ".detail";
    private static final String TARGET = GuardedCodecFilter.class.getName() + ".target";
    /** The most of an unread request target kept for the problem's {@code instance} (which keeps 512 characters). */
    private static final int TARGET_PREFIX_BYTES = 1024;

    private final GuardOptions options;

    @SuppressWarnings("deprecation") // the constructor HttpServer itself uses; idle connections are timed elsewhere
    GuardedCodecFilter(HttpServerFilter template, NetworkListener listener, GuardOptions options) {
        super(listener.isChunkingEnabled(), options.maxHeaderBytes(), null, listener.getKeepAlive(), null,
                options.maxRequestHeaders(), listener.getMaxResponseHeaders());
        this.options = options;
        for (ContentEncoding encoding : template.getContentEncodings()) {
            addContentEncoding(encoding);
        }
        setAllowPayloadForUndefinedHttpMethods(template.isAllowPayloadForUndefinedHttpMethods());
        setMaxPayloadRemainderToSkip(GuardedHandler.REFUSED_BODY_SKIP_BYTES);
        getMonitoringConfig().addProbes(template.getMonitoringConfig().getProbes());
    }

    @Override
    protected void onInitialLineEncoded(HttpHeader header, FilterChainContext ctx) {
        super.onInitialLineEncoded(header, ctx);
        if (!header.isRequest()) {
            MimeHeaders headers = header.getHeaders();
            headers.setValue(NOSNIFF_HEADER).setString("nosniff");
            // Grizzly writes Content-Type only for a request with an HTTP version; one without (HTTP/0.9, or a
            // request line too long to read) would get its problem body untyped.
            if (((HttpResponsePacket) header).getRequest().getProtocol() == Protocol.HTTP_0_9) {
                String type = header.getContentType();
                if (type != null && !headers.contains(Header.ContentType)) {
                    headers.setValue(Header.ContentType).setString(type);
                }
            }
        }
    }

    @Override
    protected void onHttpHeaderError(HttpHeader header, FilterChainContext ctx, Throwable t)
            throws java.io.IOException {
        HttpResponsePacket response = ((HttpRequestPacket) header).getResponse();
        String detail;
        if (t instanceof MimeHeaders.MaxHeaderCountExceededException) {
            detail = "the request has more than " + options.maxRequestHeaders() + " header fields";
        } else if (String.valueOf(t.getMessage()).contains("too large")) {
            detail = "the request head (request line and headers) is larger than " + kib(options.maxHeaderBytes());
        } else if (response.getStatus() == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505.getStatusCode()) {
            detail = "only HTTP/1.0 and HTTP/1.1 are served";
        } else {
            detail = "the request line or headers are malformed";
        }
        refuse(header, ctx, detail);
        String target = unreadTarget((HttpRequestPacket) header, ctx);
        if (target != null) {
            response.getAttributes().setAttribute(TARGET, target);
        }
        super.onHttpHeaderError(header, ctx, t);
    }

    /**
     * Returns the start of the request target when the request line was given up while its target was being read
     * (a line over the head limit): at most {@link #TARGET_PREFIX_BYTES} bytes, read from Grizzly's parse state.
     * Returns {@code null} when the target was read whole, or not begun, or the state is not as expected.
     */
    private static @Nullable String unreadTarget(HttpRequestPacket request, FilterChainContext ctx) {
        try {
            if (!request.getRequestURIRef().getRequestURIBC().isNull()
                    || !(request instanceof HttpPacketParsing parsing) || !(ctx.getMessage() instanceof Buffer input)) {
                return null;
            }
            HttpCodecFilter.HeaderParsingState state = parsing.getHeaderParsingState();
            if (state.state != 0 || state.subState != 2) {
                return null; // not in the request target
            }
            int start = input.hasArray() ? state.start - state.arrayOffset : state.start;
            if (start < input.position() || start >= input.limit()) {
                return null;
            }
            int end = Math.min(input.limit(), start + TARGET_PREFIX_BYTES);
            return input.toStringContent(StandardCharsets.ISO_8859_1, start, end);
        } catch (RuntimeException e) {
            return null; // a Grizzly whose parse state differs: the instance is left empty
        }
    }

    @Override
    protected void onHttpContentError(HttpHeader header, FilterChainContext ctx, Throwable t)
            throws java.io.IOException {
        refuse(header, ctx, "the request body is malformed");
        super.onHttpContentError(header, ctx, t);
    }

    private void refuse(HttpHeader header, FilterChainContext ctx, String detail) {
        HttpRequestPacket request = (HttpRequestPacket) header;
        String id = options.requestId(quietly(() -> request.getHeader(REQUEST_ID_HEADER)));
        request.getResponse().getAttributes().setAttribute(DETAIL, detail);
        request.getResponse().getAttributes().setAttribute(REQUEST_ID_HEADER, id);
        LOG.warn("Refused an unparsable request from {}: {} (request_id={})", ctx.getConnection().getPeerAddress(),
                detail, id);
    }

    @Override
    protected HttpContent customizeErrorResponse(HttpResponsePacket response) {
        Object detail = response.getAttributes().getAttribute(DETAIL);
        HttpRequestPacket request = response.getRequest();
        String id = response.getAttributes().getAttribute(REQUEST_ID_HEADER) instanceof String given ? given
                : options.requestId(quietly(() -> request.getHeader(REQUEST_ID_HEADER)));
        Problem problem = Problem.of(400, "invalid_request",
                detail instanceof String s ? s : "the request line or headers are malformed");
        String path = quietly(request::getRequestURI);
        if ((path == null || path.isEmpty()) && response.getAttributes().getAttribute(TARGET) instanceof String t) {
            path = t.indexOf('?') < 0 ? t : t.substring(0, t.indexOf('?'));
        }
        byte[] body = problem.toJson(id, path, options.clock().instant(),
                        quietly(() -> request.getHeader("traceparent")))
                .getBytes(StandardCharsets.UTF_8);
        response.setContentType(Problem.MEDIA_TYPE);
        response.setContentLength(body.length);
        response.setHeader(REQUEST_ID_HEADER, id);
        HttpStatus.getHttpStatus(Refusals.head(options, path, problem, response::setHeader)).setValues(response);
        Buffer content = Buffers.wrap(null, body);
        return HttpContent.builder(response).content(content).last(true).build();
    }

    static String kib(int bytes) {
        return bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " bytes";
    }

    private static @Nullable String quietly(java.util.function.Supplier<@Nullable String> read) {
        try {
            return read.get();
        } catch (RuntimeException e) {
            return null; // a head that failed to parse may not have this part
        }
    }
}
