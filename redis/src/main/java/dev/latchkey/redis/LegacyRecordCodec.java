package dev.latchkey.redis;

import static dev.latchkey.redis.RecordCodec.parseTime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.latchkey.core.ApiKey;
import dev.latchkey.core.Credential;
import dev.latchkey.core.Environment;
import dev.latchkey.core.IpRestriction;
import dev.latchkey.core.KeyStatus;
import dev.latchkey.core.KeyType;
import dev.latchkey.core.RuleStatus;
import dev.latchkey.core.SecretHash;
import dev.latchkey.core.StatusChange;
import dev.latchkey.core.Usage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads key records in the first encoding (before #20): snake_case field names as in the API, times as fixed-width UTC
 * text, lists and maps as JSON. Nothing writes it any more; a record in it is read as it is and rewritten in the
 * compact encoding ({@link RecordCodec}) by its next change (replace.lua renames its usage fields).
 */
final class LegacyRecordCodec {

    /** The field only this encoding has; its presence tells the two encodings apart. */
    static final String VERSION = "version";
    static final String USAGE_COUNT = "usage_count";
    static final String LAST_USED_AT = "last_used_at";
    static final String LAST_USED_IP = "last_used_ip";

    private static final JsonFactory JSON = new JsonFactory();

    private LegacyRecordCodec() {
    }

    static ApiKey decode(Map<String, String> f) {
        ApiKey.Builder b = ApiKey.builder()
                .id(req(f, "id"))
                .tenantId(req(f, "tenant_id"))
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
                .rateLimit(RecordCodec.parseRateLimit(f.get("rate_limit")))
                .quota(RecordCodec.parseQuota(f.get("quota")))
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
    }

    private static String req(Map<String, String> f, String name) {
        return Objects.requireNonNull(f.get(name), name);
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
