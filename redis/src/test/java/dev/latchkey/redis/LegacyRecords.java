package dev.latchkey.redis;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.latchkey.core.ApiKey;
import dev.latchkey.core.Credential;
import dev.latchkey.core.IpRestriction;
import dev.latchkey.core.StatusChange;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Writes key records the way the store did before #20 (snake_case fields, UTC text times, JSON lists and maps), so
 * tests can put such a record into a real Redis and check that the store still reads, uses, lists, changes and
 * deletes it. Test code only: the store no longer writes this encoding.
 */
final class LegacyRecords {

    private static final JsonFactory JSON = new JsonFactory();

    private LegacyRecords() {
    }

    static Map<String, String> encode(ApiKey k) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", k.id());
        f.put("tenant_id", k.tenantId());
        putIf(f, "owner_id", k.ownerId());
        f.put("name", k.name());
        f.put("environment", k.environment().wire());
        f.put("type", k.type().wire());
        f.put("status", k.storedStatus().wire());
        f.put("scopes", json(g -> {
            g.writeStartArray();
            for (String v : k.scopes()) {
                g.writeString(v);
            }
            g.writeEndArray();
        }));
        f.put("ip_restrictions", json(g -> {
            g.writeStartArray();
            for (IpRestriction r : k.ipRestrictions()) {
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
        }));
        f.put("metadata", json(g -> {
            g.writeStartObject();
            for (Map.Entry<String, String> e : k.metadata().entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        }));
        f.put("created_at", RecordCodec.time(k.createdAt()));
        f.put("updated_at", RecordCodec.time(k.updatedAt()));
        putIf(f, "expires_at", k.expiresAt() == null ? null : RecordCodec.time(k.expiresAt()));
        f.put("current_hash", k.current().hash().hex());
        f.put("current_hint", k.current().hint());
        f.put("current_imported", Boolean.toString(k.current().imported()));
        Credential p = k.previous();
        if (p != null) {
            f.put("previous_hash", p.hash().hex());
            f.put("previous_hint", p.hint());
            f.put("previous_imported", Boolean.toString(p.imported()));
            f.put("previous_expires_at", RecordCodec.time(Objects.requireNonNull(k.previousExpiresAt())));
        }
        StatusChange sc = k.statusChange();
        putIf(f, "status_changed_at", sc.at() == null ? null : RecordCodec.time(sc.at()));
        putIf(f, "status_changed_by", sc.by());
        putIf(f, "status_reason", sc.reason());
        f.put("version", Long.toString(k.version()));
        putIf(f, "rate_limit", k.rateLimit() == null ? null : RecordCodec.rateLimit(k.rateLimit()));
        putIf(f, "quota", k.quota() == null ? null : RecordCodec.quota(k.quota()));
        putIf(f, "webhook_config", k.webhookConfig());
        putIf(f, "storage_config", k.storageConfig());
        return f;
    }

    /** The fields as an HSET argument list: name, value, name, value, ... */
    static List<String> flat(Map<String, String> fields) {
        return fields.entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue())).toList();
    }

    private static void putIf(Map<String, String> f, String name, @Nullable String value) {
        if (value != null) {
            f.put(name, value);
        }
    }

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
}
