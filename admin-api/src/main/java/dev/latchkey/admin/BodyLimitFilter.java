package dev.latchkey.admin;

import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Refuses request bodies over {@value #MAX_BYTES} bytes with 413 {@code payload_too_large} before any resource
 * runs: at once when {@code Content-Length} says so; a body without a length (chunked) is read here, at most one
 * byte past the limit, and handed on from memory. Reading it here rather than when a resource reads it matters
 * for endpoints that take no body (reset, delete): an oversized body must be refused there too, before it changes
 * anything.
 */
@Provider
@PreMatching
@Priority(200)
final class BodyLimitFilter implements ContainerRequestFilter {

    /** The largest accepted body: 64 KiB. */
    static final int MAX_BYTES = 64 * 1024;

    @Override
    public void filter(ContainerRequestContext request) {
        String length = request.getHeaderString("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > MAX_BYTES) {
                    throw tooLarge();
                }
            } catch (NumberFormatException e) {
                throw ApiException.invalid("", "invalid", "the Content-Length header is not a number");
            }
        }
        if (length == null && request.hasEntity()) {
            request.setEntityStream(new ByteArrayInputStream(readAtMostLimit(request.getEntityStream())));
        } else if (request.hasEntity()) {
            request.setEntityStream(new Limited(request.getEntityStream()));
        }
    }

    /** Reads a body of unknown length whole, throwing 413 as soon as it is longer than the limit. */
    private static byte[] readAtMostLimit(InputStream in) {
        try {
            byte[] body = in.readNBytes(MAX_BYTES + 1);
            if (body.length > MAX_BYTES) {
                throw tooLarge();
            }
            return body;
        } catch (IOException e) {
            throw ApiException.invalid("", "syntax", "the request body could not be read");
        }
    }

    /**
     * Returns the 413 problem. It closes the connection: the rest of the body is never read, so the connection
     * could not carry another request.
     */
    static ApiException tooLarge() {
        return new ApiException(413, "payload_too_large", "the request body is larger than 64 KiB",
                java.util.List.of(), java.util.Map.of("Connection", "close"));
    }

    /** Counts bytes and throws once more than the limit was read. */
    private static final class Limited extends FilterInputStream {
        private long count;

        Limited(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            add(skipped);
            return skipped;
        }

        private void add(long n) {
            count += n;
            if (count > MAX_BYTES) {
                throw tooLarge();
            }
        }
    }
}
