package dev.latchkey.core.admin;

import dev.latchkey.core.Environment;
import dev.latchkey.core.IpRestriction;
import dev.latchkey.core.KeyType;
import dev.latchkey.core.RuleStatus;
import dev.latchkey.core.internal.Ids;
import dev.latchkey.core.internal.Scopes;
import java.text.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The validation rules of the admin API, in one place so that every entry point applies the same ones. Each
 * method checks one field, appends a {@link FieldError} for every problem to {@code errors}, and returns the
 * normalized value (or {@code null} when invalid or absent). No message repeats a token.
 */
public final class KeyRules {

    /** The longest name, in code points. */
    public static final int NAME_MAX = 100;
    /** The longest tenant or owner id. */
    public static final int ID_MAX = 64;
    /** The most IP restrictions per key. */
    public static final int MAX_IP_RULES = 100;
    /** The longest IP rule label. */
    public static final int LABEL_MAX = 100;
    /** The most metadata pairs. */
    public static final int METADATA_MAX_PAIRS = 32;
    /** The longest metadata key. */
    public static final int METADATA_KEY_MAX = 64;
    /** The longest metadata value. */
    public static final int METADATA_VALUE_MAX = 512;
    /** The longest status reason. */
    public static final int REASON_MAX = 200;
    /** The longest grace window of a rotation: 7 days. */
    public static final long GRACE_MAX_SECONDS = 604_800;
    /** The default grace window of a rotation: 6 hours. */
    public static final long GRACE_DEFAULT_SECONDS = 21_600;
    /** How long a trial key lives when created without {@code expires_at}. */
    public static final Duration TRIAL_DEFAULT_LIFETIME = Duration.ofDays(14);
    /** The tenant of keys created without {@code tenant_id}. */
    public static final String DEFAULT_TENANT = "default";

    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}_\\-. ][\\p{L}\\p{M}\\p{N}_\\-. ]*");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** RFC 3339 date-time: a four-digit year, {@code T}, seconds, optional fraction, {@code Z} or an offset. */
    private static final Pattern RFC_3339 = Pattern.compile(
            "[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?([Zz]|[+-][0-9]{2}:[0-9]{2})");

    private KeyRules() {
    }

    /**
     * Validates a key name: 1–100 Unicode letters, digits, {@code _ - .} and spaces, NFC-normalized. Combining marks
     * are accepted after the first character, because many scripts (Devanagari, Thai, ...) write letters with them.
     */
    public static @Nullable String name(String field, @Nullable String value, List<FieldError> errors) {
        if (value == null) {
            errors.add(new FieldError(field, "required", "is required"));
            return null;
        }
        if (hasForbiddenCharacters(value)) {
            errors.add(new FieldError(field, "forbidden_characters",
                    "must not contain control, format or bidirectional characters"));
            return null;
        }
        String n = Normalizer.normalize(value, Normalizer.Form.NFC);
        int length = n.codePointCount(0, n.length());
        if (length < 1 || length > NAME_MAX) {
            errors.add(new FieldError(field, "size", "must be 1 to " + NAME_MAX + " characters"));
            return null;
        }
        if (n.isBlank()) {
            errors.add(new FieldError(field, "pattern", "must not be blank"));
            return null;
        }
        if (!NAME.matcher(n).matches()) {
            errors.add(new FieldError(field, "pattern",
                    "must contain only letters, digits, '_', '-', '.' and spaces"));
            return null;
        }
        return n;
    }

    /** Validates a tenant or owner id: 1–64 of {@code [A-Za-z0-9._-]}. A {@code null} value passes as absent. */
    public static @Nullable String id(String field, @Nullable String value, List<FieldError> errors) {
        if (value == null) {
            return null;
        }
        if (!ID.matcher(value).matches()) {
            errors.add(new FieldError(field, "pattern", "must match [A-Za-z0-9._-]{1,64}"));
            return null;
        }
        return value;
    }

    /** Validates an environment name; {@code null} means the default, {@code live}. */
    public static @Nullable Environment environment(String field, @Nullable String value, List<FieldError> errors) {
        if (value == null) {
            return Environment.LIVE;
        }
        Environment e = Environment.fromWire(value);
        if (e == null) {
            errors.add(new FieldError(field, "invalid", "must be one of live, test"));
        }
        return e;
    }

    /** Validates a key type; {@code null} means the default, {@code standard}. */
    public static @Nullable KeyType type(String field, @Nullable String value, List<FieldError> errors) {
        if (value == null) {
            return KeyType.STANDARD;
        }
        KeyType t = KeyType.fromWire(value);
        if (t == null) {
            errors.add(new FieldError(field, "invalid", "must be one of standard, trial"));
        }
        return t;
    }

    /** Validates scopes: at most 50, each 1–64 of {@code [a-z0-9:._*-]}; duplicates are dropped, order kept. */
    public static List<String> scopes(String field, @Nullable List<String> value, List<FieldError> errors) {
        if (value == null) {
            return List.of();
        }
        if (value.size() > Scopes.MAX_SCOPES) {
            errors.add(new FieldError(field, "size", "must have at most " + Scopes.MAX_SCOPES + " scopes"));
            return List.of();
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (int i = 0; i < value.size(); i++) {
            String s = value.get(i);
            if (s == null) {
                errors.add(new FieldError(field + "[" + i + "]", "required", "must not be null"));
            } else if (!Scopes.PATTERN.matcher(s).matches()) {
                errors.add(new FieldError(field + "[" + i + "]", "pattern", "must match [a-z0-9:._*-]{1,64}"));
            } else {
                out.add(s);
            }
        }
        return List.copyOf(out);
    }

    /** Validates IP restrictions: at most 100, each an address or CIDR without host bits; ids are assigned. */
    public static List<IpRestriction> ipRestrictions(String field, @Nullable List<IpRuleInput> value,
            List<FieldError> errors) {
        if (value == null) {
            return List.of();
        }
        if (value.size() > MAX_IP_RULES) {
            errors.add(new FieldError(field, "size", "must have at most " + MAX_IP_RULES + " rules"));
            return List.of();
        }
        List<IpRestriction> out = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            String at = field + "[" + i + "]";
            IpRuleInput in = value.get(i);
            if (in == null) {
                errors.add(new FieldError(at, "required", "must not be null"));
                continue;
            }
            boolean ok = true;
            RuleStatus status = RuleStatus.ACTIVE;
            if (in.status() != null) {
                RuleStatus s = RuleStatus.fromWire(in.status());
                if (s == null) {
                    errors.add(new FieldError(at + ".status", "invalid", "must be one of active, inactive"));
                    ok = false;
                } else {
                    status = s;
                }
            }
            String label = in.label();
            if (label != null && (hasForbiddenCharacters(label) || label.codePointCount(0, label.length()) > LABEL_MAX)) {
                errors.add(new FieldError(at + ".label", "size",
                        "must be at most " + LABEL_MAX + " characters without control characters"));
                ok = false;
            }
            if (in.value() == null) {
                errors.add(new FieldError(at + ".value", "required", "is required"));
                continue;
            }
            try {
                IpRestriction r = IpRestriction.of(Ids.next(), in.value(), label, status);
                if (ok) {
                    out.add(r);
                }
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(at + ".value", "invalid", e.getMessage()));
            }
        }
        return out;
    }

    /** Parses an RFC 3339 timestamp; {@code null} passes as absent. */
    public static @Nullable Instant instant(String field, @Nullable String value, List<FieldError> errors) {
        if (value == null) {
            return null;
        }
        try {
            if (!RFC_3339.matcher(value).matches()) {
                throw new DateTimeParseException("not RFC 3339", value, 0);
            }
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "invalid", "must be an RFC 3339 timestamp such as 2030-01-31T00:00:00Z"));
            return null;
        }
    }

    /**
     * Parses an RFC 3339 timestamp that must lie after {@code now}, rounded up to its millisecond (times are kept to
     * the millisecond, and the verifier's "not at or after {@code expires_at}" reads the same either way);
     * {@code null} passes as absent.
     */
    public static @Nullable Instant futureInstant(String field, @Nullable String value, Instant now,
            List<FieldError> errors) {
        if (value == null) {
            return null;
        }
        Instant at;
        try {
            if (!RFC_3339.matcher(value).matches()) {
                // Instant.parse also takes ISO 8601 forms RFC 3339 lacks, such as "+12030-01-01T00:00:00Z".
                throw new DateTimeParseException("not RFC 3339", value, 0);
            }
            at = Instant.parse(value);
            Instant millis = at.truncatedTo(ChronoUnit.MILLIS);
            at = millis.equals(at) ? at : millis.plusMillis(1);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "invalid", "must be an RFC 3339 timestamp such as 2030-01-31T00:00:00Z"));
            return null;
        }
        if (!at.isAfter(now)) {
            errors.add(new FieldError(field, "future", "must be in the future"));
            return null;
        }
        return at;
    }

    /** Validates metadata: at most 32 pairs, keys 1–64 and values at most 512 characters, no control characters. */
    public static Map<String, String> metadata(String field, @Nullable Map<String, String> value,
            List<FieldError> errors) {
        if (value == null) {
            return Map.of();
        }
        if (value.size() > METADATA_MAX_PAIRS) {
            errors.add(new FieldError(field, "size", "must have at most " + METADATA_MAX_PAIRS + " entries"));
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : value.entrySet()) {
            String k = e.getKey();
            String v = e.getValue();
            if (k == null || k.isEmpty() || k.length() > METADATA_KEY_MAX || hasForbiddenCharacters(k)) {
                errors.add(new FieldError(field, "invalid_key",
                        "keys must be 1 to " + METADATA_KEY_MAX + " characters without control characters"));
                continue;
            }
            String at = field + "." + k;
            if (v == null) {
                errors.add(new FieldError(at, "required", "must be a string, not null"));
            } else if (v.length() > METADATA_VALUE_MAX || hasForbiddenCharacters(v)) {
                errors.add(new FieldError(at, "size",
                        "must be at most " + METADATA_VALUE_MAX + " characters without control characters"));
            } else {
                out.put(k, v);
            }
        }
        return out;
    }

    /** Validates a status reason: at most 200 characters, no control characters; {@code null} passes. */
    public static @Nullable String reason(String field, @Nullable String value, List<FieldError> errors) {
        if (value == null) {
            return null;
        }
        if (hasForbiddenCharacters(value) || value.codePointCount(0, value.length()) > REASON_MAX) {
            errors.add(new FieldError(field, "size",
                    "must be at most " + REASON_MAX + " characters without control characters"));
            return null;
        }
        return value;
    }

    /** Validates a rotation grace window: 0 to 604800 seconds; {@code null} means the default 6 hours. */
    public static long graceSeconds(String field, @Nullable Long value, List<FieldError> errors) {
        if (value == null) {
            return GRACE_DEFAULT_SECONDS;
        }
        if (value < 0 || value > GRACE_MAX_SECONDS) {
            errors.add(new FieldError(field, "range", "must be 0 to " + GRACE_MAX_SECONDS));
            return GRACE_DEFAULT_SECONDS;
        }
        return value;
    }

    /**
     * Reads a webhook or storage config id; whether it names a config of the right tenant is
     * {@link ConfigManager#requireOwn}'s to check, since that needs the store.
     */
    public static @Nullable String configId(String field, @Nullable String value, List<FieldError> errors) {
        return value;
    }

    static void range(String field, @Nullable Long value, long min, long max, List<FieldError> errors) {
        if (value == null) {
            errors.add(new FieldError(field, "required", "is required"));
        } else if (value < min || value > max) {
            errors.add(new FieldError(field, "range", "must be " + min + " to " + max));
        }
    }

    /**
     * Returns whether text holds characters that have no place in names and labels: controls, format characters
     * (bidirectional overrides, zero-width joiners), unpaired surrogates, private-use and unassigned code points.
     */
    public static boolean hasForbiddenCharacters(String s) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int type = Character.getType(cp);
            if (type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                    || type == Character.PRIVATE_USE || type == Character.UNASSIGNED
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
                return true;
            }
            i += Character.charCount(cp);
        }
        return false;
    }

    /**
     * Throws when errors were collected.
     *
     * @throws ValidationException listing every error
     */
    public static void throwIfAny(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
    }
}
