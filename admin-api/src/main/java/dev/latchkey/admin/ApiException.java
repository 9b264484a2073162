package dev.latchkey.admin;

import dev.latchkey.core.admin.FieldError;
import dev.latchkey.engine.Denial;
import jakarta.ws.rs.WebApplicationException;
import java.io.Serial;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A request failure that already knows its problem code, status and field errors. It is a
 * {@link WebApplicationException} so that Jersey passes it through message body readers unchanged; the
 * {@link ProblemMapper} renders it. Its message never holds a token.
 */
final class ApiException extends WebApplicationException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final transient List<FieldError> errors;
    private final transient Map<String, String> headers;
    private final @Nullable Long retryAfter;

    ApiException(int status, String code, String detail) {
        this(status, code, detail, List.of(), Map.of());
    }

    ApiException(int status, String code, String detail, List<FieldError> errors, Map<String, String> headers) {
        this(status, code, detail, errors, headers, null);
    }

    private ApiException(int status, String code, String detail, List<FieldError> errors, Map<String, String> headers,
            @Nullable Long retryAfter) {
        super(detail, status);
        this.retryAfter = retryAfter;
        this.status = status;
        this.code = code;
        this.errors = List.copyOf(errors);
        this.headers = Map.copyOf(headers);
    }

    /** Returns the answer to an engine's denial: its status, code, detail, headers and body's {@code retry_after}. */
    static ApiException of(Denial denial) {
        Map<String, String> headers = new java.util.LinkedHashMap<>(denial.headers());
        if (denial.challenge() != null) {
            headers.put("WWW-Authenticate", denial.challenge());
        }
        if (denial.retryAfterSeconds() != null) {
            headers.put("Retry-After", Long.toString(denial.retryAfterSeconds()));
        }
        return new ApiException(denial.status(), denial.code(), denial.detail(), List.of(), headers,
                denial.bodyRetryAfter());
    }

    static ApiException invalid(String field, String code, String description) {
        return new ApiException(400, "invalid_request", field.isEmpty() ? description : field + " " + description,
                List.of(new FieldError(field, code, description)), Map.of());
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    List<FieldError> errors() {
        return errors;
    }

    Map<String, String> headers() {
        return headers;
    }

    /** Returns the problem body's {@code retry_after} (a 429 from the engine's table), or {@code null}. */
    @Nullable Long retryAfter() {
        return retryAfter;
    }
}
