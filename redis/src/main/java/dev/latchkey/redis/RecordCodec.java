package dev.latchkey.redis;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.latchkey.core.ApiKey;
import dev.latchkey.core.Credential;
import dev.latchkey.core.Environment;
import dev.latchkey.core.IpRestriction;
import dev.latchkey.core.Job;
import dev.latchkey.core.JobStatus;
import dev.latchkey.core.KeyStatus;
import dev.latchkey.core.KeyType;
import dev.latchkey.core.Quota;
import dev.latchkey.core.QuotaPeriod;
import dev.latchkey.core.RateLimit;
import dev.latchkey.core.RuleStatus;
import dev.latchkey.core.SecretHash;
import dev.latchkey.core.StatusChange;
import dev.latchkey.core.Usage;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Turns key records and jobs into Redis hash fields and back. Fields are readable with {@code redis-cli HGETALL}:
 * snake_case names as in the API, times as fixed-width UTC text with nanoseconds (so text order is time order, which
 * the usage script relies on), secrets only as SHA-256/HMAC hashes in hex, lists and maps as JSON. A record never
 * holds a token's plaintext: {@link ApiKey} has none to give.
 */
final class RecordCodec {

    static final String VERSION = "version";
    static final String TENANT = "tenant_id";
    static final String USAGE_COUNT = "usage_count";
    static final String LAST_USED_AT = "last_used_at";
    static final String LAST_USED_IP = "last_used_ip";

    /** Record fields that may be absent; a replace deletes those the new record does not have. */
    static final List<String> OPTIONAL = List.of("owner_id", "expires_at", "previous_hash", "previous_hint",
            "previous_imported", "previous_expires_at", "status_changed_at", "status_changed_by", "status_reason",
            "rate_limit", "quota", "webhook_config", "storage_config");

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final JsonFactory JSON = new JsonFactory();

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

    /** Returns the record fields of a key, without usage, in a stable order. */
    static Map<String, String> encode(ApiKey k) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", k.id());
        f.put(TENANT, k.tenantId());
        putIf(f, "owner_id", k.ownerId());
        f.put("name", k.name());
        f.put("environment", k.environment().wire());
        f.put("type", k.type().wire());
        f.put("status", k.storedStatus().wire());
        f.put("scopes", stringArray(k.scopes()));
        f.put("ip_restrictions", rules(k.ipRestrictions()));
        f.put("metadata", stringMap(k.metadata()));
        f.put("created_at", time(k.createdAt()));
        f.put("updated_at", time(k.updatedAt()));
        putIf(f, "expires_at", k.expiresAt() == null ? null : time(k.expiresAt()));
        f.put("current_hash", k.current().hash().hex());
        f.put("current_hint", k.current().hint());
        f.put("current_imported", Boolean.toString(k.current().imported()));
        Credential p = k.previous();
        if (p != null) {
            f.put("previous_hash", p.hash().hex());
            f.put("previous_hint", p.hint());
            f.put("previous_imported", Boolean.toString(p.imported()));
            f.put("previous_expires_at", time(Objects.requireNonNull(k.previousExpiresAt())));
        }
        StatusChange sc = k.statusChange();
        putIf(f, "status_changed_at", sc.at() == null ? null : time(sc.at()));
        putIf(f, "status_changed_by", sc.by());
        putIf(f, "status_reason", sc.reason());
        f.put(VERSION, Long.toString(k.version()));
        putIf(f, "rate_limit", k.rateLimit() == null ? null : rateLimit(k.rateLimit()));
        putIf(f, "quota", k.quota() == null ? null : quota(k.quota()));
        putIf(f, "webhook_config", k.webhookConfig());
        putIf(f, "storage_config", k.storageConfig());
        return f;
    }

    private static void putIf(Map<String, String> f, String name, @Nullable String value) {
        if (value != null) {
            f.put(name, value);
        }
    }

    /**
     * Reads a record hash back into a key, with its usage.
     *
     * @throws IllegalStateException when the hash is not a key record this codec wrote
     */
    static ApiKey decode(Map<String, String> f) {
        try {
            ApiKey.Builder b = ApiKey.builder()
                    .id(req(f, "id"))
                    .tenantId(req(f, TENANT))
                    .ownerId(f.get("owner_id"))
                    .name(req(f, "name"))
                    .environment(Objects.requireNonNull(Environment.fromWire(f.get("environment")), "environment"))
                    .type(Objects.requireNonNull(KeyType.fromWire(f.get("type")), "type"))
                    .storedStatus(Objects.requireNonNull(KeyStatus.fromWire(f.get("status")), "status"))
                    .scopes(parseStringArray(req(f, "scopes")))
                    .ipRestrictions(parseRules(req(f, "ip_restrictions")))
                    .metadata(parseStringMap(req(f, "metadata")))
                    .createdAt(Objects.requireNonNull(parseTime(f.get("created_at")), "created_at"))
                    .updatedAt(Objects.requireNonNull(parseTime(f.get("updated_at")), "updated_at"))
                    .expiresAt(parseTime(f.get("expires_at")))
                    .current(new Credential(SecretHash.fromHex(req(f, "current_hash")), req(f, "current_hint"),
                            Boolean.parseBoolean(f.get("current_imported"))))
                    .statusChange(new StatusChange(parseTime(f.get("status_changed_at")), f.get("status_changed_by"),
                            f.get("status_reason")))
                    .version(Long.parseLong(req(f, VERSION)))
                    .rateLimit(parseRateLimit(f.get("rate_limit")))
                    .quota(parseQuota(f.get("quota")))
                    .webhookConfig(f.get("webhook_config"))
                    .storageConfig(f.get("storage_config"));
            String prevHash = f.get("previous_hash");
            if (prevHash != null) {
                b.previous(new Credential(SecretHash.fromHex(prevHash), req(f, "previous_hint"),
                        Boolean.parseBoolean(f.get("previous_imported"))), parseTime(f.get("previous_expires_at")));
            }
            String count = f.get(USAGE_COUNT);
            b.usage(new Usage(count == null ? 0 : Long.parseLong(count), parseTime(f.get(LAST_USED_AT)),
                    f.get(LAST_USED_IP)));
            return b.build();
        } catch (RuntimeException e) {
            // The message names the field, never a value: values could be anything someone wrote there.
            throw new IllegalStateException("unreadable key record in Redis (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")", e);
        }
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
        f.put(TENANT, j.tenantId());
        f.put("created_at", time(j.createdAt()));
        putIf(f, "finished_at", j.finishedAt() == null ? null : time(j.finishedAt()));
        putIf(f, "error", j.error());
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
                req(f, TENANT), Objects.requireNonNull(parseTime(f.get("created_at")), "created_at"),
                parseTime(f.get("finished_at")), f.get("error"));
    }

    // ------------------------------------------------------------------ JSON

    private interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    private static String json(Writer w) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            w.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static String stringArray(List<String> values) {
        return json(g -> {
            g.writeStartArray();
            for (String v : values) {
                g.writeString(v);
            }
            g.writeEndArray();
        });
    }

    static String stringMap(Map<String, String> values) {
        return json(g -> {
            g.writeStartObject();
            for (Map.Entry<String, String> e : values.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        });
    }

    static String rules(List<IpRestriction> rules) {
        return json(g -> {
            g.writeStartArray();
            for (IpRestriction r : rules) {
                g.writeStartObject();
                g.writeStringField("id", r.id());
                g.writeStringField("value", r.value());
                if (r.label() != null) {
                    g.writeStringField("label", r.label());
                }
                g.writeStringField("status", r.status().wire());
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    static List<String> parseStringArray(String text) {
        try (JsonParser p = JSON.createParser(text)) {
            expect(p.nextToken(), JsonToken.START_ARRAY);
            List<String> out = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                out.add(p.getValueAsString());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> parseStringMap(String text) {
        try (JsonParser p = JSON.createParser(text)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            Map<String, String> out = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                out.put(name, p.getValueAsString());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<IpRestriction> parseRules(String text) {
        try (JsonParser p = JSON.createParser(text)) {
            expect(p.nextToken(), JsonToken.START_ARRAY);
            List<IpRestriction> out = new ArrayList<>();
            while (p.nextToken() == JsonToken.START_OBJECT) {
                Map<String, String> r = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    r.put(name, p.getValueAsString());
                }
                RuleStatus status = Objects.requireNonNull(RuleStatus.fromWire(r.get("status")), "rule status");
                out.add(IpRestriction.of(req(r, "id"), req(r, "value"), r.get("label"), status));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void expect(@Nullable JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + " in a stored JSON field");
        }
    }
}
