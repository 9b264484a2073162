package dev.latchkey.engine;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Turns a raw request URI into the path that route rules and excludes see: no context path, path parameters after
 * {@code ;} dropped from every segment, each segment percent-decoded once, {@code .}, {@code ..} and empty
 * segments resolved, no trailing slash. Anything that could make the filter and the container disagree about the
 * resource is refused ({@code null}): an encoded {@code /} or {@code \}, control characters, invalid
 * percent-encoding or UTF-8, and {@code ..} above the root.
 */
final class RequestPaths {

    private static final int MAX_SEGMENTS = 256;

    private RequestPaths() {
    }

    /**
     * Returns the normalized application path of a request, or {@code null} when it must be refused.
     *
     * @param requestUri  the raw (still encoded) request URI, without the query
     * @param contextPath the context path, as the container reports it
     */
    static @Nullable String applicationPath(String requestUri, String contextPath) {
        if (contextPath.isEmpty() || contextPath.equals("/")) {
            return normalize(requestUri);
        }
        if (requestUri.startsWith(contextPath)
                && (requestUri.length() == contextPath.length() || requestUri.charAt(contextPath.length()) == '/'
                        || requestUri.charAt(contextPath.length()) == ';')) {
            return normalize(requestUri.substring(contextPath.length()));
        }
        // The context path was written differently (encoded, with parameters): compare normalized forms.
        String full = normalize(requestUri);
        String context = normalize(contextPath);
        if (full == null || context == null) {
            return null;
        }
        if (full.equals(context)) {
            return "/";
        }
        return full.startsWith(context + "/") ? full.substring(context.length()) : null;
    }

    /** Normalizes a raw path (see the class comment), or returns {@code null} when it must be refused. */
    static @Nullable String normalize(String raw) {
        if (isNormal(raw)) {
            return raw;
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = raw.length();
        int segments = 0;
        while (i <= n) {
            int end = raw.indexOf('/', i);
            if (end < 0) {
                end = n;
            }
            String segment = raw.substring(i, end);
            i = end + 1;
            if (++segments > MAX_SEGMENTS) {
                return null;
            }
            int semi = segment.indexOf(';');
            if (semi >= 0) {
                segment = segment.substring(0, semi);
            }
            String decoded = decode(segment);
            if (decoded == null) {
                return null;
            }
            if (decoded.isEmpty() || decoded.equals(".")) {
                continue;
            }
            if (decoded.equals("..")) {
                if (out.isEmpty()) {
                    return null;
                }
                out.remove(out.size() - 1);
                continue;
            }
            out.add(decoded);
        }
        if (out.isEmpty()) {
            return "/";
        }
        StringBuilder sb = new StringBuilder();
        for (String s : out) {
            sb.append('/').append(s);
        }
        return sb.toString();
    }

    /**
     * Returns whether {@code raw} is already its own normal form: a {@code /} then non-empty segments that are not
     * {@code .} or {@code ..}, of printable ASCII other than {@code %}, {@code ;} and {@code \}, and not too many
     * of them. The common request path passes, so it is normalized without allocating.
     */
    private static boolean isNormal(String raw) {
        int n = raw.length();
        if (n == 0 || raw.charAt(0) != '/') {
            return false;
        }
        if (n == 1) {
            return true;
        }
        int segments = 1;
        int start = 1;
        for (int i = 1; i <= n; i++) {
            char c = i < n ? raw.charAt(i) : '/';
            if (c == '/') {
                int len = i - start;
                if (len == 0 || ++segments > MAX_SEGMENTS
                        || raw.charAt(start) == '.' && (len == 1 || len == 2 && raw.charAt(start + 1) == '.')) {
                    return false;
                }
                start = i + 1;
            } else if (c <= 0x20 || c > 0x7e || c == '%' || c == ';' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static @Nullable String decode(String segment) {
        boolean plain = true;
        for (int k = 0; k < segment.length(); k++) {
            char c = segment.charAt(k);
            if (c == '%' || c > 0x7e) {
                plain = false;
            } else if (c < 0x20 || c == '\\') {
                return null;
            }
        }
        if (plain) {
            return segment;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int k = 0; k < segment.length(); k++) {
            char c = segment.charAt(k);
            if (c == '%') {
                if (k + 2 >= segment.length()) {
                    return null;
                }
                int hi = Character.digit(segment.charAt(k + 1), 16);
                int lo = Character.digit(segment.charAt(k + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.write(hi * 16 + lo);
                k += 2;
            } else if (c <= 0x7f) {
                bytes.write(c);
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
            }
        }
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        for (int k = 0; k < decoded.length(); k++) {
            char c = decoded.charAt(k);
            if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f) {
                return null;
            }
        }
        return decoded;
    }
}
