package dev.latchkey.engine;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The one W3C Trace Context parser of Latchkey: every door (the filter, the admin service, the gateway) takes the
 * {@code trace_id} of its problem bodies from here, so they accept and refuse the same {@code traceparent} values.
 *
 * <p>Refused, as the W3C rules say: version {@code ff}, an all-zero trace id or parent id, upper-case hex, and extra
 * fields on version {@code 00} (later versions may add fields after the four known ones).
 *
 * @since 0.1
 */
public final class TraceContext {

    private static final int MAX_LENGTH = 512;
    private static final Pattern TRACEPARENT =
            Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}(-.*)?");

    private TraceContext() {
    }

    /**
     * Returns the trace id of a {@code traceparent} header value, or {@code null} when it is absent or invalid.
     *
     * @param traceparent the header value, possibly {@code null}
     */
    public static @Nullable String traceId(@Nullable String traceparent) {
        if (traceparent == null || traceparent.length() > MAX_LENGTH) {
            return null;
        }
        Matcher m = TRACEPARENT.matcher(traceparent.strip());
        if (!m.matches()) {
            return null;
        }
        String version = m.group(1);
        if (version.equals("ff") || (version.equals("00") && m.group(4) != null)
                || allZero(m.group(2)) || allZero(m.group(3))) {
            return null;
        }
        return m.group(2);
    }

    private static boolean allZero(String hex) {
        for (int i = 0; i < hex.length(); i++) {
            if (hex.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
