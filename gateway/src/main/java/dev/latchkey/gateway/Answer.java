package dev.latchkey.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the gateway answers one request with, before the HTTP server writes it: a status, headers in order and a body
 * (empty for an allow). Free of Grizzly types, so the decision path can be measured and tested without a server.
 * Immutable.
 *
 * @since 0.1
 */
public final class Answer {

    private static final byte[] EMPTY = new byte[0];

    private final int status;
    private final String[] headers;
    private final byte[] body;
    private final @Nullable String contentType;

    Answer(int status, String[] headers, @Nullable String contentType, @Nullable String body) {
        if (headers.length % 2 != 0) {
            throw new IllegalArgumentException("headers are name/value pairs");
        }
        this.status = status;
        this.headers = headers;
        this.contentType = contentType;
        this.body = body == null ? EMPTY : body.getBytes(StandardCharsets.UTF_8);
    }

    /** Returns the HTTP status. */
    public int status() {
        return status;
    }

    /** Returns how many headers the answer has. */
    public int headerCount() {
        return headers.length / 2;
    }

    /** Returns the name of header {@code i}. */
    public String headerName(int i) {
        return headers[2 * i];
    }

    /** Returns the value of header {@code i}. */
    public String headerValue(int i) {
        return headers[2 * i + 1];
    }

    /** Returns the first value of a header (case-insensitive name), or {@code null}. */
    public @Nullable String header(String name) {
        Objects.requireNonNull(name, "name");
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase(name)) {
                return headers[i + 1];
            }
        }
        return null;
    }

    /** Returns the media type of the body, or {@code null} when there is none. */
    public @Nullable String contentType() {
        return contentType;
    }

    /** Returns the body's bytes (a shared array: do not change it); empty when there is none. */
    byte[] bodyBytes() {
        return body;
    }

    /** Returns the body as text. */
    public String body() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
