package dev.latchkey.redis;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.Credential;
import dev.latchkey.core.Environment;
import dev.latchkey.core.Job;
import dev.latchkey.core.JobStatus;
import dev.latchkey.core.KeyStatus;
import dev.latchkey.core.KeyType;
import dev.latchkey.core.Quota;
import dev.latchkey.core.QuotaPeriod;
import dev.latchkey.core.RateLimit;
import dev.latchkey.core.SecretHash;
import dev.latchkey.core.StatusChange;
import dev.latchkey.core.Usage;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Turns key records and jobs into Redis hash fields and back. A key record is written in the <i>compact</i> encoding
 * (#20), built so that Redis keeps the hash as a listpack under its default limits ({@code hash-max-listpack-value}
 * 64 bytes, {@code hash-max-listpack-entries} 128): short field names, the class as three letters, times as epoch
 * nanoseconds (which a listpack stores as an 8-byte integer), lists, maps and IP rules as escaped tokens
 * ({@link CompactText}) instead of JSON, and any value longer than 64 UTF-8 bytes cut into pieces stored as
 * {@code <field>+1}, {@code <field>+2}, ... The id is the hash's own name and is not repeated. The fields the Lua
 * scripts read are never cut: {@code v} (version), {@code t} (tenant), {@code c} (created), {@code h}/{@code hi}
 * (current hash and imported flag), {@code p}/{@code pi} (previous), {@code sc} (storage config), and the usage
 * fields {@code uc}, {@code ua}, {@code ui} (count, last use as fixed-width UTC text, last IP), which only usage.lua
 * writes. Secrets are only SHA-256/HMAC hashes in hex; a record never holds a token's plaintext.
 *
 * <p>Records in the first encoding (snake_case names, JSON; see {@link LegacyRecordCodec}) are still read; the
 * field {@code version} tells them apart, and replace.lua rewrites them whole in this encoding.
 *
 * <pre>
 * v version   t tenant   o owner   n name   k class (status a|i|b, type s|t, environment l|t)
 * s scopes    r IP rules m metadata          c created   u updated (absent when equal to created)   e expires
 * h hh hi     current hash, hint, imported ("1")          p ph pi pe   previous hash, hint, imported, expires
 * xa xb xr    status changed at, by, reason              rl rate limit   q quota   wc sc webhook, storage config
 * </pre>
 */
final class RecordCodec {

    static final String VERSION = "v";
    static final String TENANT = "t";
    static final String USAGE_COUNT = "uc";
    static final String LAST_USED_AT = "ua";
    static final String LAST_USED_IP = "ui";
    private static final String JOB_TENANT = "tenant_id";

    /** Fields read by Lua scripts or by a single HMGET: never cut into pieces. */
    private static final Set<String> WHOLE = Set.of("v", "t", "k", "c", "u", "e", "h", "hi", "p", "pi", "pe", "xa",
            "rl", "q", "sc", USAGE_COUNT, LAST_USED_AT, LAST_USED_IP);

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private RecordCodec() {
    }

    /** Formats an instant as fixed-width UTC text, e.g. {@code 2026-11-23T10:15:30.120000000Z}. */
    static String time(Instant instant) {
        return TIME.format(instant);
    }

    static @Nullable Instant parseTime(@Nullable String text) {
        return text == null || text.isEmpty() ? null : Instant.parse(text);
    }

    /** Returns an instant as whole microseconds since the epoch (rounded down), the score of the listing indexes. */
    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    /** Formats an instant as epoch nanoseconds, or as UTC text when it is outside the years 1678 to 2261. */
    static String nanos(Instant instant) {
        try {
            return Long.toString(Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L),
                    instant.getNano()));
        } catch (ArithmeticException e) {
            return time(instant);
        }
    }

    /** Reads a stored time in either form: epoch nanoseconds or UTC text. */
    static @Nullable Instant parseStoredTime(@Nullable String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (text.indexOf('T') >= 0) {
            return Instant.parse(text);
        }
        long n = Long.parseLong(text);
        return Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L));
    }

    /** Returns the record fields of a key, without usage, in a stable order. */
    static Map<String, String> encode(ApiKey k) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put(VERSION, Long.toString(k.version()));
        put(f, TENANT, k.tenantId());
        put(f, "o", k.ownerId());
        put(f, "n", k.name());
        f.put("k", Listing.statusCode(k.storedStatus()) + Listing.typeCode(k.type())
                + Listing.envCode(k.environment()));
        put(f, "s", k.scopes().isEmpty() ? null : CompactText.list(k.scopes()));
        put(f, "r", k.ipRestrictions().isEmpty() ? null : CompactText.rules(k.ipRestrictions()));
        put(f, "m", k.metadata().isEmpty() ? null : CompactText.map(k.metadata()));
        f.put("c", nanos(k.createdAt()));
        put(f, "u", k.updatedAt().equals(k.createdAt()) ? null : nanos(k.updatedAt()));
        put(f, "e", k.expiresAt() == null ? null : nanos(k.expiresAt()));
        put(f, "h", k.current().hash().hex());
        put(f, "hh", k.current().hint());
        put(f, "hi", k.current().imported() ? "1" : null);
        Credential p = k.previous();
        if (p != null) {
            put(f, "p", p.hash().hex());
            put(f, "ph", p.hint());
            put(f, "pi", p.imported() ? "1" : null);
            put(f, "pe", nanos(Objects.requireNonNull(k.previousExpiresAt())));
        }
        StatusChange sc = k.statusChange();
        put(f, "xa", sc.at() == null ? null : nanos(sc.at()));
        put(f, "xb", sc.by());
        put(f, "xr", sc.reason());
        put(f, "rl", k.rateLimit() == null ? null : rateLimit(k.rateLimit()));
        put(f, "q", k.quota() == null ? null : quota(k.quota()));
        put(f, "wc", k.webhookConfig());
        put(f, "sc", k.storageConfig());
        return f;
    }

    private static void put(Map<String, String> f, String name, @Nullable String value) {
        if (value == null) {
            return;
        }
        List<String> pieces = WHOLE.contains(name) ? List.of(value) : CompactText.pieces(value);
        f.put(name, pieces.get(0));
        for (int i = 1; i < pieces.size(); i++) {
            f.put(name + "+" + i, pieces.get(i));
        }
    }

    /** Whether any value of a record is cut into pieces: most are not, and then no piece name needs building. */
    private static boolean cut(Map<String, String> f) {
        for (String name : f.keySet()) {
            if (name != null && name.indexOf('+') >= 0) {
                return true;
            }
        }
        return false;
    }

    private static @Nullable String get(Map<String, String> f, String name, boolean cut) {
        String first = f.get(name);
        if (!cut || first == null || !f.containsKey(name + "+1")) {
            return first;
        }
        StringBuilder out = new StringBuilder(first);
        for (int i = 1; f.containsKey(name + "+" + i); i++) {
            out.append(f.get(name + "+" + i));
        }
        return out.toString();
    }

    /**
     * Reads a record hash back into a key, with its usage, in either encoding.
     *
     * @param id the key's id, which the compact encoding takes from the hash's name
     * @throws IllegalStateException when the hash is not a key record this store wrote
     */
    static ApiKey decode(String id, Map<String, String> f) {
        try {
            return f.containsKey(LegacyRecordCodec.VERSION) ? LegacyRecordCodec.decode(f) : decodeCompact(id, f);
        } catch (RuntimeException e) {
            // The message names the field, never a value: values could be anything someone wrote there.
            throw new IllegalStateException("unreadable key record in Redis (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")", e);
        }
    }

    private static ApiKey decodeCompact(String id, Map<String, String> f) {
        String cls = req(f, "k");
        if (cls.length() != 3) {
            throw new IllegalArgumentException("k");
        }
        Instant created = Objects.requireNonNull(parseStoredTime(f.get("c")), "c");
        boolean cut = f instanceof RecordFields read ? read.hasPieces() : cut(f);
        String scopes = get(f, "s", cut);
        String rules = get(f, "r", cut);
        String metadata = get(f, "m", cut);
        String updated = f.get("u");
        ApiKey.Builder b = ApiKey.builder()
                .id(id)
                .tenantId(req(f, TENANT))
                .ownerId(get(f, "o", cut))
                .name(Objects.requireNonNull(get(f, "n", cut), "n"))
                .storedStatus(switch (cls.charAt(0)) {
                    case 'a' -> KeyStatus.ACTIVE;
                    case 'i' -> KeyStatus.INACTIVE;
                    case 'b' -> KeyStatus.BLOCKED;
                    default -> throw new IllegalArgumentException("k");
                })
                .type(cls.charAt(1) == 't' ? KeyType.TRIAL : KeyType.STANDARD)
                .environment(cls.charAt(2) == 't' ? Environment.TEST : Environment.LIVE)
                .scopes(scopes == null ? List.of() : CompactText.parseList(scopes))
                .ipRestrictions(rules == null ? List.of() : CompactText.parseRules(rules))
                .metadata(metadata == null ? Map.of() : CompactText.parseMap(metadata))
                .createdAt(created)
                .updatedAt(updated == null ? created : Objects.requireNonNull(parseStoredTime(updated)))
                .expiresAt(parseStoredTime(f.get("e")))
                .current(new Credential(SecretHash.fromHex(req(f, "h")),
                        Objects.requireNonNull(get(f, "hh", cut), "hh"), "1".equals(f.get("hi"))))
                .statusChange(new StatusChange(parseStoredTime(f.get("xa")), get(f, "xb", cut), get(f, "xr", cut)))
                .version(Long.parseLong(req(f, VERSION)))
                .rateLimit(parseRateLimit(f.get("rl")))
                .quota(parseQuota(f.get("q")))
                .webhookConfig(get(f, "wc", cut))
                .storageConfig(f.get("sc"));
        String prevHash = f.get("p");
        if (prevHash != null) {
            b.previous(new Credential(SecretHash.fromHex(prevHash), Objects.requireNonNull(get(f, "ph", cut), "ph"),
                    "1".equals(f.get("pi"))), parseStoredTime(f.get("pe")));
        }
        String count = f.get(USAGE_COUNT);
        b.usage(new Usage(count == null ? 0 : Long.parseLong(count), parseTime(f.get(LAST_USED_AT)),
                f.get(LAST_USED_IP)));
        return b.build();
    }

    /** Formats a rate limit as {@code <limit>:<period seconds>}, e.g. {@code 100:60}. */
    static String rateLimit(RateLimit r) {
        return r.limit() + ":" + r.periodSeconds();
    }

    /** Formats a quota spec as {@code <limit>:<period>}, e.g. {@code 10000:month}. */
    static String quota(Quota q) {
        return q.limit() + ":" + q.period().wire();
    }

    static @Nullable RateLimit parseRateLimit(@Nullable String text) {
        if (text == null) {
            return null;
        }
        int colon = text.indexOf(':');
        return new RateLimit(Long.parseLong(text.substring(0, colon)), Long.parseLong(text.substring(colon + 1)));
    }

    static @Nullable Quota parseQuota(@Nullable String text) {
        if (text == null) {
            return null;
        }
        int colon = text.indexOf(':');
        return new Quota(Long.parseLong(text.substring(0, colon)),
                Objects.requireNonNull(QuotaPeriod.fromWire(text.substring(colon + 1)), "quota period"));
    }

    private static String req(Map<String, String> f, String name) {
        return Objects.requireNonNull(f.get(name), name);
    }

    static Map<String, String> encodeJob(Job j) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", j.id());
        f.put("job_name", j.jobName());
        f.put("status", j.status().wire());
        f.put("key_id", j.keyId());
        f.put(JOB_TENANT, j.tenantId());
        f.put("created_at", time(j.createdAt()));
        if (j.finishedAt() != null) {
            f.put("finished_at", time(j.finishedAt()));
        }
        if (j.error() != null) {
            f.put("error", j.error());
        }
        return f;
    }

    static Job decodeJob(Map<String, String> f) {
        JobStatus status = null;
        for (JobStatus s : JobStatus.values()) {
            if (s.wire().equals(f.get("status"))) {
                status = s;
            }
        }
        return new Job(req(f, "id"), req(f, "job_name"), Objects.requireNonNull(status, "status"), req(f, "key_id"),
                req(f, JOB_TENANT), Objects.requireNonNull(parseTime(f.get("created_at")), "created_at"),
                parseTime(f.get("finished_at")), f.get("error"));
    }
}
