package dev.latchkey.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.core.Change;
import dev.latchkey.core.ConfigManager;
import dev.latchkey.core.FieldError;
import dev.latchkey.core.KeyRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Reads webhook and storage config bodies (API.md §10) into core's inputs: wrong JSON types and unknown members are
 * field errors, a member that cannot be patched ({@code kind}, {@code tenant_id}) too; value rules are core's
 * {@code ConfigRules}.
 */
final class ConfigReader {

    private ConfigReader() {
    }

    static ConfigManager.WebhookInput webhook(@Nullable JsonNode body) {
        Fields f = new Fields(body);
        String[] tenant = {null};
        String[] url = {null};
        String[] description = {null};
        Boolean[] enabled = {null};
        List<List<String>> events = new ArrayList<>(List.of(List.of()));
        boolean[] eventsGiven = {false};
        f.each((name, v) -> {
            switch (name) {
                case "tenant_id" -> tenant[0] = f.text(name, v);
                case "url" -> url[0] = f.text(name, v);
                case "description" -> description[0] = f.text(name, v);
                case "enabled" -> enabled[0] = f.bool(name, v);
                case "events" -> {
                    eventsGiven[0] = !v.isNull();
                    events.set(0, f.strings(name, v));
                }
                default -> f.unknown(name);
            }
        });
        f.done();
        return new ConfigManager.WebhookInput(tenant[0], url[0], eventsGiven[0] ? events.get(0) : null,
                description[0], enabled[0]);
    }

    static ConfigManager.WebhookPatch webhookPatch(@Nullable JsonNode body) {
        Fields f = new Fields(body);
        List<Object> out = Arrays.asList(new Object[4]);
        f.each((name, v) -> {
            switch (name) {
                case "url" -> out.set(0, Change.to(f.text(name, v)));
                case "events" -> out.set(1, Change.to(v.isNull() ? null : f.strings(name, v)));
                case "description" -> out.set(2, Change.to(f.text(name, v)));
                case "enabled" -> out.set(3, Change.to(f.bool(name, v)));
                case "tenant_id", "secret", "id", "created_at", "updated_at" -> f.notPatchable(name);
                default -> f.unknown(name);
            }
        });
        f.done();
        return new ConfigManager.WebhookPatch(cast(out.get(0)), cast(out.get(1)), cast(out.get(2)), cast(out.get(3)));
    }

    static ConfigManager.StorageInput storage(@Nullable JsonNode body) {
        Fields f = new Fields(body);
        String[] text = new String[4];
        Long[] retention = {null};
        f.each((name, v) -> {
            switch (name) {
                case "tenant_id" -> text[0] = f.text(name, v);
                case "kind" -> text[1] = f.text(name, v);
                case "jdbc_url" -> text[2] = f.text(name, v);
                case "description" -> text[3] = f.text(name, v);
                case "retention_days" -> retention[0] = v.isNull() ? null : LimitsReader.integer(name, v, f.errors);
                default -> f.unknown(name);
            }
        });
        f.done();
        return new ConfigManager.StorageInput(text[0], text[1], retention[0], text[2], text[3]);
    }

    static ConfigManager.StoragePatch storagePatch(@Nullable JsonNode body) {
        Fields f = new Fields(body);
        List<Object> out = Arrays.asList(new Object[3]);
        f.each((name, v) -> {
            switch (name) {
                case "retention_days" -> out.set(0, Change.to(v.isNull() ? null : LimitsReader.integer(name, v,
                        f.errors)));
                case "jdbc_url" -> out.set(1, Change.to(f.text(name, v)));
                case "description" -> out.set(2, Change.to(f.text(name, v)));
                case "kind", "tenant_id", "id", "created_at", "updated_at" -> f.notPatchable(name);
                default -> f.unknown(name);
            }
        });
        f.done();
        return new ConfigManager.StoragePatch(cast(out.get(0)), cast(out.get(1)), cast(out.get(2)));
    }

    @SuppressWarnings("unchecked")
    private static <T> @Nullable Change<T> cast(@Nullable Object o) {
        return (Change<T>) o;
    }

    /** One body's members and the errors found reading them. */
    private static final class Fields {
        final List<FieldError> errors = new ArrayList<>();
        private final JsonNode body;

        Fields(@Nullable JsonNode body) {
            if (body == null || body.isMissingNode() || body.isNull()) {
                throw ApiException.invalid("", "required", "a JSON body is required");
            }
            if (!body.isObject()) {
                throw ApiException.invalid("", "type", "the body must be a JSON object");
            }
            this.body = body;
        }

        void each(BiConsumer<String, JsonNode> reader) {
            Iterator<Map.Entry<String, JsonNode>> it = body.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                reader.accept(e.getKey(), e.getValue());
            }
        }

        @Nullable String text(String name, JsonNode v) {
            if (v.isTextual()) {
                return v.textValue();
            }
            if (!v.isNull()) {
                errors.add(PatchReader.type(name, "a string or null"));
            }
            return null;
        }

        @Nullable Boolean bool(String name, JsonNode v) {
            if (v.isBoolean()) {
                return v.booleanValue();
            }
            errors.add(PatchReader.type(name, "true or false"));
            return null;
        }

        List<String> strings(String name, JsonNode v) {
            List<String> out = new ArrayList<>();
            if (v.isNull()) {
                return out;
            }
            if (!v.isArray()) {
                errors.add(PatchReader.type(name, "an array of strings"));
                return out;
            }
            for (int i = 0; i < v.size(); i++) {
                if (v.get(i).isTextual()) {
                    out.add(v.get(i).textValue());
                } else {
                    errors.add(PatchReader.type(name + "[" + i + "]", "a string"));
                }
            }
            return out;
        }

        void unknown(String name) {
            errors.add(new FieldError(PatchReader.safe(name), "unknown", "is not a known field"));
        }

        void notPatchable(String name) {
            errors.add(new FieldError(name, "read_only", "cannot be changed"));
        }

        void done() {
            KeyRules.throwIfAny(errors);
        }
    }
}
