package dev.latchkey.admin.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads the limit options of API.md §8 into their wire shape: {@code --rate-limit LIMIT/PERIOD} (seconds, or a number
 * with {@code s}, {@code m}, {@code h} or {@code d}) and {@code --quota LIMIT/day|month|none[/REMAINING]}. A value that
 * does not parse is a usage error (exit 1) before any request; ranges are the service's to judge (400, also exit 1).
 * Also renders them back for tables: {@code 100/60s}, {@code 10000/day (9950 left, refills …)}.
 */
final class LimitSpecs {

    private LimitSpecs() {
    }

    /** {@code LIMIT/PERIOD} into {@code {"limit","period_seconds"}}. */
    static final class RateLimit implements ITypeConverter<ObjectNode> {
        @Override
        public ObjectNode convert(String value) {
            String[] p = value.split("/", -1);
            if (p.length != 2) {
                throw new TypeConversionException("'" + value + "' is not LIMIT/PERIOD, e.g. 100/60 or 100/1m");
            }
            return AdminClient.JSON.createObjectNode().put("limit", number(p[0], "LIMIT", value))
                    .put("period_seconds", seconds(p[1], value));
        }
    }

    /** {@code LIMIT/PERIOD[/REMAINING]} into {@code {"limit","period"[,"remaining"]}}, as keys take it. */
    static final class KeyQuota implements ITypeConverter<ObjectNode> {
        @Override
        public ObjectNode convert(String value) {
            return quota(value, true);
        }
    }

    /** {@code LIMIT/PERIOD} into {@code {"limit","period"}}, as tenant defaults take it (no balance). */
    static final class DefaultQuota implements ITypeConverter<ObjectNode> {
        @Override
        public ObjectNode convert(String value) {
            return quota(value, false);
        }
    }

    private static ObjectNode quota(String value, boolean withRemaining) {
        String[] p = value.split("/", -1);
        String shape = withRemaining ? "LIMIT/day|month|none[/REMAINING]" : "LIMIT/day|month|none";
        if (p.length < 2 || p.length > (withRemaining ? 3 : 2)) {
            throw new TypeConversionException("'" + value + "' is not " + shape + ", e.g. 10000/day");
        }
        String period = p[1].trim().toLowerCase(Locale.ROOT);
        if (!(period.equals("day") || period.equals("month") || period.equals("none"))) {
            throw new TypeConversionException("'" + value + "': the period must be day, month or none");
        }
        ObjectNode q = AdminClient.JSON.createObjectNode().put("limit", number(p[0], "LIMIT", value))
                .put("period", period);
        if (p.length == 3) {
            q.put("remaining", number(p[2], "REMAINING", value));
        }
        return q;
    }

    private static long number(String s, String what, String value) {
        try {
            return Long.parseLong(s.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "': " + what + " must be a whole number");
        }
    }

    private static long seconds(String s, String value) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        int unit = t.isEmpty() ? -1 : "smhd".indexOf(t.charAt(t.length() - 1));
        long factor = unit < 0 ? 1 : new long[] {1, 60, 3600, 86_400}[unit];
        try {
            return Math.multiplyExact(Long.parseLong(unit < 0 ? t : t.substring(0, t.length() - 1)), factor);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new TypeConversionException("'" + value + "': PERIOD must be seconds, or a number with s, m, h or d");
        }
    }

    /** {@code 100/60s}, or {@code -} for none. */
    static String rateLimit(JsonNode r) {
        if (!r.isObject()) {
            return "-";
        }
        return r.path("limit").asText() + "/" + r.path("period_seconds").asText() + "s";
    }

    /** {@code 10000/day}, with the balance and next refill when the answer has them; {@code -} for none. */
    static String quota(JsonNode q) {
        if (!q.isObject()) {
            return "-";
        }
        StringBuilder b = new StringBuilder().append(q.path("limit").asText()).append('/')
                .append(q.path("period").asText());
        if (q.hasNonNull("remaining")) {
            b.append(" (").append(q.get("remaining").asText()).append(" left");
            if (q.hasNonNull("refills_at")) {
                b.append(", refills ").append(q.get("refills_at").asText());
            }
            b.append(')');
        }
        return b.toString();
    }
}
