package dev.latchkey.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.core.Quota;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.FieldError;
import dev.latchkey.core.admin.IpRuleInput;
import dev.latchkey.core.admin.KeyRules;
import dev.latchkey.core.admin.QuotaInput;
import dev.latchkey.core.admin.RateLimitInput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads a {@code POST /v1/keys} body into core's {@link CreateKeyRequest}, collecting every unknown member and wrong
 * JSON type instead of stopping at the first, as data binding does. When the shape is wrong, the well-typed members
 * are also checked with core's {@link KeyRules}, so one 400 lists each invalid field (API.md §4); nothing is created.
 */
final class CreateReader {

    private CreateReader() {
    }

    /**
     * Returns the request, or throws a 400 listing every invalid field when any member has the wrong shape.
     *
     * @param now the current time, for the {@code expires_at} check of a refused body
     */
    static CreateKeyRequest read(@Nullable JsonNode body, Instant now) {
        if (body == null || body.isMissingNode() || body.isNull()) {
            throw ApiException.invalid("", "required", "a JSON body is required");
        }
        if (!body.isObject()) {
            throw ApiException.invalid("", "type", "the body must be a JSON object");
        }
        List<FieldError> errors = new ArrayList<>();
        String name = null;
        String tenantId = null;
        String ownerId = null;
        String environment = null;
        String type = null;
        String expiresAt = null;
        String token = null;
        List<String> scopes = null;
        List<IpRuleInput> rules = null;
        Map<String, String> metadata = null;
        RateLimitInput rateLimit = null;
        QuotaInput quota = null;
        String webhookConfig = null;
        String storageConfig = null;
        boolean nameTyped = true;
        Iterator<Map.Entry<String, JsonNode>> it = body.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String field = e.getKey();
            JsonNode v = e.getValue();
            switch (field) {
                case "name" -> {
                    name = text(field, v, errors);
                    nameTyped = v.isNull() || v.isTextual();
                }
                case "tenant_id" -> tenantId = text(field, v, errors);
                case "owner_id" -> ownerId = text(field, v, errors);
                case "environment" -> environment = text(field, v, errors);
                case "type" -> type = text(field, v, errors);
                case "expires_at" -> expiresAt = text(field, v, errors);
                case "token" -> token = text(field, v, errors);
                case "scopes" -> {
                    if (v.isArray()) {
                        scopes = new ArrayList<>();
                        for (int i = 0; i < v.size(); i++) {
                            JsonNode s = v.get(i);
                            if (s.isTextual() || s.isNull()) {
                                scopes.add(s.isNull() ? null : s.textValue());
                            } else {
                                errors.add(PatchReader.type(field + "[" + i + "]", "a string"));
                                scopes.add(null); // keeps the later scopes at their own index
                            }
                        }
                    } else if (!v.isNull()) {
                        errors.add(PatchReader.type(field, "an array of strings"));
                    }
                }
                case "ip_restrictions" -> {
                    if (v.isArray()) {
                        rules = PatchReader.rules(v, errors);
                    } else if (!v.isNull()) {
                        errors.add(PatchReader.type(field, "an array of objects"));
                    }
                }
                case "metadata" -> {
                    if (v.isObject()) {
                        metadata = new LinkedHashMap<>();
                        Iterator<Map.Entry<String, JsonNode>> m = v.fields();
                        while (m.hasNext()) {
                            Map.Entry<String, JsonNode> p = m.next();
                            if (p.getValue().isTextual() || p.getValue().isNull()) {
                                metadata.put(p.getKey(), p.getValue().isNull() ? null : p.getValue().textValue());
                            } else {
                                errors.add(PatchReader.type(field + "." + PatchReader.safe(p.getKey()), "a string"));
                            }
                        }
                    } else if (!v.isNull()) {
                        errors.add(PatchReader.type(field, "an object of strings"));
                    }
                }
                case "rate_limit" -> rateLimit = LimitsReader.rateLimit(field, v, errors);
                case "quota" -> quota = LimitsReader.quota(field, v, errors);
                case "webhook_config" -> webhookConfig = LimitsReader.configId(field, v, errors);
                case "storage_config" -> storageConfig = LimitsReader.configId(field, v, errors);
                case "effective" -> errors.add(LimitsReader.readOnly(field));
                default -> errors.add(new FieldError(PatchReader.safe(field), "unknown", "is not a known field"));
            }
        }
        if (!errors.isEmpty()) {
            // The shape is wrong: also report the well-typed members' values, once per field.
            List<FieldError> values = new ArrayList<>();
            if (nameTyped) {
                KeyRules.name("name", name, values);
            }
            KeyRules.id("tenant_id", tenantId, values);
            KeyRules.id("owner_id", ownerId, values);
            KeyRules.environment("environment", environment, values);
            KeyRules.type("type", type, values);
            KeyRules.scopes("scopes", scopes, values);
            KeyRules.ipRestrictions("ip_restrictions", rules, values);
            KeyRules.futureInstant("expires_at", expiresAt, now, values);
            KeyRules.metadata("metadata", metadata, values);
            Quota spec = KeyRules.quota("quota", quota, true, values);
            KeyRules.quotaRemaining("quota", quota, spec, values);
            KeyRules.rateLimit("rate_limit", rateLimit, values);
            KeyRules.configId("webhook_config", webhookConfig, values);
            KeyRules.configId("storage_config", storageConfig, values);
            Set<String> reported = new HashSet<>();
            errors.forEach(e -> reported.add(e.field()));
            values.stream().filter(e -> !reported.contains(e.field())).forEach(errors::add);
            KeyRules.throwIfAny(errors);
        }
        return new CreateKeyRequest(name, tenantId, ownerId, environment, type, scopes, rules, expiresAt, metadata,
                token, rateLimit, quota, webhookConfig, storageConfig);
    }

    private static @Nullable String text(String field, JsonNode v, List<FieldError> errors) {
        if (v.isTextual()) {
            return v.textValue();
        }
        if (!v.isNull()) {
            errors.add(PatchReader.type(field, "a string"));
        }
        return null;
    }
}
