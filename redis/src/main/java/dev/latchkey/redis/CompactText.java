package dev.latchkey.redis;

import dev.latchkey.core.IpRestriction;
import dev.latchkey.core.RuleStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The text forms of the compact record encoding ({@link RecordCodec}): lists as space-separated tokens, maps as
 * {@code key=value} tokens, IP rules as {@code id value status [label]} joined by commas, where a token escapes
 * {@code %}, space, comma and {@code =} as {@code %XX} and the empty string is {@code %}; and the split of a long
 * value into pieces of at most {@link #PIECE} UTF-8 bytes, so that no hash value exceeds Redis's default
 * {@code hash-max-listpack-value} (64) and a record stays in the compact listpack encoding.
 */
final class CompactText {

    /** The most UTF-8 bytes of one stored value: Redis's default {@code hash-max-listpack-value}. */
    static final int PIECE = 64;

    private static final String HEX = "0123456789ABCDEF";

    private CompactText() {
    }

    static String escape(String s) {
        if (s.isEmpty()) {
            return "%";
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean special = c == '%' || c == ' ' || c == ',' || c == '=';
            if (special && out == null) {
                out = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            if (out != null) {
                if (special) {
                    out.append('%').append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 15));
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? s : out.toString();
    }

    static String unescape(String s) {
        if (s.equals("%")) {
            return "";
        }
        int pct = s.indexOf('%');
        if (pct < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length()).append(s, 0, pct);
        for (int i = pct; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new IllegalArgumentException("a cut escape in a stored token");
                }
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String list(List<String> values) {
        StringBuilder out = new StringBuilder();
        for (String v : values) {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(escape(v));
        }
        return out.toString();
    }

    /** Reads a list back, as an unmodifiable list that {@code List.copyOf} takes as it is. */
    static List<String> parseList(String text) {
        String[] tokens = split(text, ' ');
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = unescape(tokens[i]);
        }
        return List.of(tokens);
    }

    /**
     * Splits at every {@code separator}, keeping empty tokens, as {@code String.split(separator, -1)} does but
     * without its regex check and list: a listing page splits every list, map and IP rule of hundreds of records.
     */
    static String[] split(String text, char separator) {
        int n = 1;
        for (int at = text.indexOf(separator); at >= 0; at = text.indexOf(separator, at + 1)) {
            n++;
        }
        String[] out = new String[n];
        int start = 0;
        for (int i = 0; i < n - 1; i++) {
            int at = text.indexOf(separator, start);
            out[i] = text.substring(start, at);
            start = at + 1;
        }
        out[n - 1] = start == 0 ? text : text.substring(start);
        return out;
    }

    static String map(Map<String, String> values) {
        StringBuilder out = new StringBuilder();
        values.forEach((k, v) -> {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(escape(k)).append('=').append(escape(v));
        });
        return out.toString();
    }

    /** Reads a map back in its stored order; a map of one entry (the usual metadata) is {@code Map.of}'s. */
    static Map<String, String> parseMap(String text) {
        String[] tokens = split(text, ' ');
        Map<String, String> out = tokens.length == 1 ? null : new LinkedHashMap<>(tokens.length * 2);
        for (String token : tokens) {
            int eq = token.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("a map entry without '='");
            }
            String key = unescape(token.substring(0, eq));
            String value = unescape(token.substring(eq + 1));
            if (out == null) {
                return Map.of(key, value);
            }
            out.put(key, value);
        }
        return out;
    }

    static String rules(List<IpRestriction> rules) {
        StringBuilder out = new StringBuilder();
        for (IpRestriction r : rules) {
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(escape(r.id())).append(' ').append(escape(r.value())).append(' ')
                    .append(escape(r.status().wire()));
            if (r.label() != null) {
                out.append(' ').append(escape(r.label()));
            }
        }
        return out.toString();
    }

    static List<IpRestriction> parseRules(String text) {
        String[] rules = split(text, ',');
        IpRestriction[] out = new IpRestriction[rules.length];
        for (int i = 0; i < rules.length; i++) {
            String[] t = split(rules[i], ' ');
            if (t.length < 3 || t.length > 4) {
                throw new IllegalArgumentException("an IP rule of " + t.length + " tokens");
            }
            RuleStatus status = Objects.requireNonNull(RuleStatus.fromWire(unescape(t[2])), "rule status");
            out[i] = IpRestriction.of(unescape(t[0]), unescape(t[1]), t.length == 4 ? unescape(t[3]) : null, status);
        }
        return List.of(out);
    }

    /** Cuts a value into pieces of at most {@link #PIECE} UTF-8 bytes, never inside a character. */
    static List<String> pieces(String value) {
        if (value.length() * 3 <= PIECE || value.getBytes(StandardCharsets.UTF_8).length <= PIECE) {
            return List.of(value);
        }
        List<String> out = new ArrayList<>();
        int start = 0;
        int bytes = 0;
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + n > PIECE) {
                out.add(value.substring(start, i));
                start = i;
                bytes = 0;
            }
            bytes += n;
            i += Character.charCount(cp);
        }
        out.add(value.substring(start));
        return out;
    }
}
