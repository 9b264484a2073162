package dev.latchkey.admin;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.PropertyBindingException;
import dev.latchkey.core.admin.ConfigNotFoundException;
import dev.latchkey.core.admin.FieldError;
import dev.latchkey.core.admin.OperationException;
import dev.latchkey.core.StoreUnavailableException;
import dev.latchkey.core.admin.FieldError;
import dev.latchkey.core.admin.OperationException;
import dev.latchkey.core.admin.ValidationException;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into an RFC 9457 problem: Latchkey's own exceptions, Jersey's (unknown path, wrong method,
 * unsupported or unacceptable media type), Jackson's (syntax, unknown field, wrong type) and bean validation's.
 * Anything else is a bug: a 500 {@code internal} without details, logged with the request id. No message from a
 * parser is ever echoed, because it may quote the request body (and so a token).
 */
@Provider
final class ProblemMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemMapper.class);
    private static final Pattern SAFE_FIELD = Pattern.compile("[A-Za-z0-9_]{1,64}");

    /** The detail of every 503: the key store, or the usage-history database behind a storage config. */
    static final String STORE_UNAVAILABLE = "the store cannot be reached; try again in a moment";
    /** The header of every 503, as on the gateway (API.md §11): a client or proxy may retry after a second. */
    static final Map<String, String> RETRY_IN_A_SECOND = Map.of("Retry-After", "1");

    @Context
    private HttpHeaders headers;
    @Context
    private UriInfo uriInfo;
    @Context
    private ExtendedUriInfo routing;
    @Context
    private Request request;
    @Inject
    private Clock clock;

    @Override
    public Response toResponse(Throwable thrown) {
        Mapped m = thrown instanceof NotAcceptableException ? notAcceptable() : map(thrown);
        String requestId = headers.getHeaderString(Problems.REQUEST_ID);
        String path = null;
        try {
            path = uriInfo.getRequestUri().getRawPath();
        } catch (RuntimeException e) {
            // no request in scope
        }
        if (m.status >= 500 && m.status != 503) {
            LOG.error("Internal error on {} {} (request_id={})", request.getMethod(), path, requestId, thrown);
        } else if (m.status == 503) {
            LOG.warn("Store unavailable on {} {} (request_id={}): {}", request.getMethod(), path, requestId,
                    thrown.getMessage());
        }
        return Problems.response(m.status, m.code, m.detail, m.errors, m.headers, m.retryAfter, requestId, path,
                headers.getHeaderString("traceparent"), clock);
    }

    /** Jersey's own 406 (no method produces an acceptable type), naming what the resource serves. */
    private Mapped notAcceptable() {
        ApiException e = Negotiation.notAcceptable(Negotiation.served(routing, request.getMethod()));
        return new Mapped(e.status(), e.code(), String.valueOf(e.getMessage()));
    }

    private record Mapped(int status, String code, String detail, List<FieldError> errors,
            Map<String, String> headers, @Nullable Long retryAfter) {
        Mapped(int status, String code, String detail) {
            this(status, code, detail, List.of(), Map.of());
        }

        Mapped(int status, String code, String detail, List<FieldError> errors, Map<String, String> headers) {
            this(status, code, detail, errors, headers, null);
        }
    }

    private static Mapped map(Throwable thrown) {
        // A failure we raised ourselves (such as the body limit, hit while Jackson reads) wins over its wrappers.
        for (Throwable t = thrown; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof ApiException || t instanceof StoreUnavailableException) {
                return java.util.Objects.requireNonNull(mapOne(t));
            }
        }
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            Mapped m = mapOne(t);
            if (m != null) {
                return m;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        if (thrown instanceof WebApplicationException wae) {
            int status = wae.getResponse().getStatus();
            if (status < 500) {
                return new Mapped(status, Problems.codeFor(status), statusDetail(status));
            }
        }
        return new Mapped(500, "internal", "an internal error occurred; quote the request id when reporting it");
    }

    private static @Nullable Mapped mapOne(Throwable t) {
        if (t instanceof ApiException e) {
            return new Mapped(e.status(), e.code(), String.valueOf(e.getMessage()), e.errors(), e.headers(),
                    e.retryAfter());
        }
        if (t instanceof ValidationException e) {
            return new Mapped(400, "invalid_request", String.valueOf(e.getMessage()), e.errors(), Map.of());
        }
        if (t instanceof OperationException e) {
            return switch (e.reason()) {
                case NOT_FOUND -> new Mapped(404, e instanceof ConfigNotFoundException ? "not_found" : "key_not_found",
                        String.valueOf(e.getMessage()));
                case FORBIDDEN -> new Mapped(403, "forbidden", String.valueOf(e.getMessage()));
                case CONFLICT -> new Mapped(409, "conflict", String.valueOf(e.getMessage()));
                case PRECONDITION_FAILED -> new Mapped(412, "precondition_failed", String.valueOf(e.getMessage()));
            };
        }
        if (t instanceof StoreUnavailableException) {
            return new Mapped(503, "store_unavailable", STORE_UNAVAILABLE, List.of(), RETRY_IN_A_SECOND);
        }
        if (t instanceof JsonProcessingException e) {
            return json(e);
        }
        if (t instanceof ConstraintViolationException e) {
            return violations(e.getConstraintViolations());
        }
        if (t instanceof NotFoundException) {
            return new Mapped(404, "not_found", "there is no resource at this path");
        }
        if (t instanceof NotAllowedException e) {
            String allow = e.getResponse().getHeaderString("Allow");
            return new Mapped(405, "method_not_allowed", "this method is not allowed on this resource",
                    List.of(), allow == null ? Map.of() : Map.of("Allow", allow));
        }
        if (t instanceof NotSupportedException) {
            return new Mapped(415, "unsupported_media_type",
                    "send application/json (or application/merge-patch+json for PATCH)");
        }
        return null;
    }

    private static Mapped json(JsonProcessingException e) {
        if (e instanceof JsonMappingException jm) {
            String field = path(jm.getPath());
            if (e instanceof PropertyBindingException pb) {
                String name = pb.getPropertyName();
                String f = field.isEmpty() || name == null || !SAFE_FIELD.matcher(name).matches()
                        ? "(unknown field)" : field;
                return invalid(f, "unknown", "is not a known field");
            }
            if (e instanceof InvalidNullException) {
                return invalid(field, "type", "must not be null");
            }
            if (e instanceof MismatchedInputException mi) {
                if (field.isEmpty()) {
                    String m = String.valueOf(mi.getOriginalMessage());
                    if (m.startsWith("No content to map")) {
                        return invalid("", "required", "a JSON body is required");
                    }
                    return invalid("", "type", "the body must be a JSON object");
                }
                return invalid(field, "type", "must be " + typeName(mi.getTargetType()));
            }
            if (!field.isEmpty()) {
                return invalid(field, "invalid", "has an invalid value");
            }
        }
        return invalid("", "syntax", syntax(e.getLocation()));
    }

    private static String syntax(@Nullable JsonLocation at) {
        if (at == null || at.getLineNr() < 0) {
            return "the body is not valid JSON";
        }
        return "the body is not valid JSON (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    private static Mapped invalid(String field, String code, String description) {
        String detail = field.isEmpty() ? description : field + " " + description;
        return new Mapped(400, "invalid_request", detail, List.of(new FieldError(field, code, description)),
                Map.of());
    }

    static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                String name = r.getFieldName();
                if (!SAFE_FIELD.matcher(name).matches()) {
                    name = "(field)";
                }
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(name);
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String typeName(@Nullable Class<?> type) {
        if (type == null) {
            return "of another JSON type";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
            return "an integer";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static Mapped violations(java.util.Set<ConstraintViolation<?>> violations) {
        List<FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> v : violations) {
            String p = String.valueOf(v.getPropertyPath());
            int dot = p.lastIndexOf('.');
            String field = dot >= 0 ? p.substring(dot + 1) : p;
            errors.add(new FieldError(field, "invalid", String.valueOf(v.getMessage())));
        }
        String detail = errors.isEmpty() ? "invalid request" : errors.get(0).field() + " " + errors.get(0).description();
        return new Mapped(400, "invalid_request", detail, errors, Map.of());
    }

    private static String statusDetail(int status) {
        return switch (status) {
            case 400 -> "the request is malformed";
            case 401 -> "authentication is required";
            case 403 -> "this is not allowed";
            case 413 -> "the request body is larger than 64 KiB";
            default -> "the request cannot be served (HTTP " + status + ")";
        };
    }
}
