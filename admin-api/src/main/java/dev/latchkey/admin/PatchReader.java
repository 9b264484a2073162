package dev.latchkey.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.core.Quota;
import dev.latchkey.core.admin.FieldError;
import dev.latchkey.core.admin.IpRuleInput;
import dev.latchkey.core.admin.KeyPatch;
import dev.latchkey.core.admin.KeyRules;
import dev.latchkey.core.admin.LimitRules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads a {@code PATCH /v1/keys/{id}} body ({@code application/json} or {@code application/merge-patch+json}) into
 * core's {@link KeyPatch}: an absent member leaves the field alone, {@code null} clears it, and lists and maps
 * replace the whole value ({@code rate_limit} and {@code quota} too: never merged field by field); {@code effective} is
 * read-only. Every wrong type or unknown member is collected as a field error.
 */
final class PatchReader {

    private static final Pattern SAFE_FIELD = Pattern.compile("[A-Za-z0-9_]{1,64}");

    private PatchReader() {
    }

    static KeyPatch read(@Nullable JsonNode body) {
        if (body == null || body.isMissingNode()) {
            throw ApiException.invalid("", "required", "a JSON body is required");
        }
        if (!body.isObject()) {
            throw ApiException.invalid("", "type", "the body must be a JSON object");
        }
        List<FieldError> errors = new ArrayList<>();
        KeyPatch patch = KeyPatch.EMPTY;
        Iterator<Map.Entry<String, JsonNode>> it = body.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode v = e.getValue();
            switch (name) {
                case "name" -> {
                    if (v.isNull() || v.isTextual()) {
                        patch = patch.withName(v.isNull() ? null : v.textValue());
                    } else {
                        errors.add(type(name, "a string"));
                    }
                }
                case "owner_id" -> {
                    if (v.isNull() || v.isTextual()) {
                        patch = patch.withOwnerId(v.isNull() ? null : v.textValue());
                    } else {
                        errors.add(type(name, "a string or null"));
                    }
                }
                case "expires_at" -> {
                    if (v.isNull() || v.isTextual()) {
                        patch = patch.withExpiresAt(v.isNull() ? null : v.textValue());
                    } else {
                        errors.add(type(name, "an RFC 3339 string or null"));
                    }
                }
                case "scopes" -> {
                    if (v.isNull()) {
                        patch = patch.withScopes(List.of());
                    } else if (v.isArray()) {
                        List<String> scopes = new ArrayList<>();
                        for (int i = 0; i < v.size(); i++) {
                            JsonNode s = v.get(i);
                            if (s.isTextual()) {
                                scopes.add(s.textValue());
                            } else {
                                errors.add(type(name + "[" + i + "]", "a string"));
                            }
                        }
                        patch = patch.withScopes(scopes);
                    } else {
                        errors.add(type(name, "an array of strings or null"));
                    }
                }
                case "ip_restrictions" -> {
                    if (v.isNull()) {
                        patch = patch.withIpRestrictions(List.of());
                    } else if (v.isArray()) {
                        patch = patch.withIpRestrictions(rules(v, errors));
                    } else {
                        errors.add(type(name, "an array of objects or null"));
                    }
                }
                case "metadata" -> {
                    if (v.isNull()) {
                        patch = patch.withMetadata(Map.of());
                    } else if (v.isObject()) {
                        Map<String, String> md = new LinkedHashMap<>();
                        Iterator<Map.Entry<String, JsonNode>> m = v.fields();
                        while (m.hasNext()) {
                            Map.Entry<String, JsonNode> p = m.next();
                            if (p.getValue().isTextual()) {
                                md.put(p.getKey(), p.getValue().textValue());
                            } else {
                                errors.add(type(name + "." + safe(p.getKey()), "a string"));
                            }
                        }
                        patch = patch.withMetadata(md);
                    } else {
                        errors.add(type(name, "an object of strings or null"));
                    }
                }
                case "rate_limit" -> patch = patch.withRateLimit(LimitsReader.rateLimit(name, v, errors));
                case "quota" -> patch = patch.withQuota(LimitsReader.quota(name, v, errors));
                case "webhook_config" -> patch = patch.withWebhookConfig(LimitsReader.configId(name, v, errors));
                case "storage_config" -> patch = patch.withStorageConfig(LimitsReader.configId(name, v, errors));
                case "effective" -> errors.add(LimitsReader.readOnly(name));
                default -> errors.add(new FieldError(safe(name), "unknown", "is not a known field"));
            }
        }
        if (!errors.isEmpty()) {
            reportValues(patch, errors);
        }
        KeyRules.throwIfAny(errors);
        return patch;
    }

    /**
     * The shape is wrong: also reports the well-typed members' values, once per field, as {@code CreateReader} does,
     * so that {@code errors} lists each field (API.md §4). {@code expires_at} is checked as a time only here: whether
     * it lies in the future is the service clock's to judge.
     */
    private static void reportValues(KeyPatch patch, List<FieldError> errors) {
        List<FieldError> values = new ArrayList<>();
        if (patch.name() != null) {
            KeyRules.name("name", patch.name().value(), values);
        }
        if (patch.ownerId() != null) {
            KeyRules.id("owner_id", patch.ownerId().value(), values);
        }
        if (patch.scopes() != null) {
            KeyRules.scopes("scopes", patch.scopes().value(), values);
        }
        if (patch.ipRestrictions() != null) {
            KeyRules.ipRestrictions("ip_restrictions", patch.ipRestrictions().value(), values);
        }
        if (patch.expiresAt() != null) {
            KeyRules.futureInstant("expires_at", patch.expiresAt().value(), Instant.MIN, values);
        }
        if (patch.metadata() != null) {
            KeyRules.metadata("metadata", patch.metadata().value(), values);
        }
        if (patch.rateLimit() != null) {
            LimitRules.rateLimit("rate_limit", patch.rateLimit().value(), values);
        }
        if (patch.quota() != null) {
            Quota spec = LimitRules.quota("quota", patch.quota().value(), true, values);
            LimitRules.quotaRemaining("quota", patch.quota().value(), spec, values);
        }
        if (patch.webhookConfig() != null) {
            KeyRules.configId("webhook_config", patch.webhookConfig().value(), values);
        }
        if (patch.storageConfig() != null) {
            KeyRules.configId("storage_config", patch.storageConfig().value(), values);
        }
        Set<String> reported = new HashSet<>();
        errors.forEach(e -> reported.add(e.field()));
        values.stream().filter(e -> !reported.contains(e.field())).forEach(errors::add);
    }

    static List<IpRuleInput> rules(JsonNode array, List<FieldError> errors) {
        List<IpRuleInput> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String at = "ip_restrictions[" + i + "]";
            JsonNode r = array.get(i);
            if (!r.isObject()) {
                errors.add(type(at, "an object"));
                out.add(null); // keeps the later rules at their own index
                continue;
            }
            String value = null;
            String label = null;
            String status = null;
            Iterator<Map.Entry<String, JsonNode>> it = r.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> f = it.next();
                JsonNode v = f.getValue();
                String field = at + "." + safe(f.getKey());
                if (!v.isNull() && !v.isTextual()) {
                    errors.add(type(field, "a string"));
                    continue;
                }
                String text = v.isNull() ? null : v.textValue();
                switch (f.getKey()) {
                    case "value" -> value = text;
                    case "label" -> label = text;
                    case "status" -> status = text;
                    default -> errors.add(new FieldError(field, "unknown", "is not a known field"));
                }
            }
            out.add(new IpRuleInput(value, label, status));
        }
        return out;
    }

    static FieldError type(String field, String what) {
        return new FieldError(field, "type", "must be " + what);
    }

    static String safe(String name) {
        return SAFE_FIELD.matcher(name).matches() ? name : "(field)";
    }

    /** Names the fields a patch changes, for the audit line. */
    static String fields(KeyPatch p) {
        StringJoiner j = new StringJoiner(",");
        if (p.name() != null) {
            j.add("name");
        }
        if (p.ownerId() != null) {
            j.add("owner_id");
        }
        if (p.scopes() != null) {
            j.add("scopes");
        }
        if (p.ipRestrictions() != null) {
            j.add("ip_restrictions");
        }
        if (p.expiresAt() != null) {
            j.add("expires_at");
        }
        if (p.metadata() != null) {
            j.add("metadata");
        }
        if (p.rateLimit() != null) {
            j.add("rate_limit");
        }
        if (p.quota() != null) {
            j.add("quota");
        }
        if (p.webhookConfig() != null) {
            j.add("webhook_config");
        }
        if (p.storageConfig() != null) {
            j.add("storage_config");
        }
        return j.toString();
    }
}
