package dev.latchkey.admin;

import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Refuses a request whose {@code Content-Type} or {@code Accept} header is malformed, before Jersey matches it.
 * Jersey reads both while it picks the resource method, and a parse failure there escapes every exception mapper:
 * it answered a bare 400 with no body. Checking them here, ahead of routing, by the RFC 9110 grammar (§8.3.1
 * {@code media-type}, §12.5.1 {@code Accept}) and by Jersey's own parser, turns that into a 400
 * {@code invalid_request} problem (API.md §4) that names the header (never its value) and runs nothing.
 */
@Provider
@PreMatching
@Priority(200) // after RequestIdFilter, so the problem carries the request's id
final class MediaHeadersFilter implements ContainerRequestFilter {

    // Possessive quantifiers throughout: the grammar never needs to give characters back, and a hostile header
    // cannot make the matcher backtrack (ReDoS).
    private static final String OWS = "[ \\t]*+";
    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]++";
    private static final String QUOTED = "\"(?:[\\t\\x20-\\x7e&&[^\"\\\\]]|\\\\[\\t\\x20-\\x7e])*+\"";
    private static final String PARAMETERS = "(?:" + OWS + ";" + OWS + "(?:" + TOKEN + "=(?:" + TOKEN + "|" + QUOTED
            + "))?+)*+";
    private static final String MEDIA_TYPE = TOKEN + "/" + TOKEN + PARAMETERS;
    private static final Pattern CONTENT_TYPE = Pattern.compile(OWS + MEDIA_TYPE + OWS);
    private static final Pattern ACCEPT = Pattern.compile(OWS + "(?:" + MEDIA_TYPE + ")?+(?:" + OWS + "," + OWS
            + "(?:" + MEDIA_TYPE + ")?+)*+" + OWS);

    @Override
    public void filter(ContainerRequestContext request) {
        List<String> types = request.getHeaders().get("Content-Type");
        if (types != null && (types.size() != 1 || !matches(CONTENT_TYPE, types.get(0))
                || !parses(() -> request.getMediaType()))) {
            throw malformed("Content-Type", "one media type such as application/json");
        }
        List<String> accepts = request.getHeaders().get("Accept");
        if (accepts != null && (!accepts.stream().allMatch(a -> matches(ACCEPT, a))
                || !parses(() -> request.getAcceptableMediaTypes()))) {
            throw malformed("Accept", "media ranges such as application/json, */*;q=0.1");
        }
    }

    private static boolean matches(Pattern grammar, @Nullable String value) {
        return value != null && grammar.matcher(value).matches();
    }

    private static boolean parses(Runnable read) {
        try {
            read.run();
            return true;
        } catch (RuntimeException e) { // Jersey's HeaderValueException, or a parser's IllegalArgumentException
            return false;
        }
    }

    private static ApiException malformed(String header, String expected) {
        return ApiException.invalid(header, "syntax", "header is malformed: send " + expected);
    }
}
