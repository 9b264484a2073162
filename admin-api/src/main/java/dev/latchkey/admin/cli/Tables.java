package dev.latchkey.admin.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Plain-text tables for people: aligned columns, and a key's fields one per line. */
final class Tables {

    /** The fields of a key, in the order API.md §3 lists them. */
    private static final List<String> KEY_FIELDS = List.of("id", "name", "tenant_id", "owner_id", "environment",
            "type", "status", "scopes", "ip_restrictions", "metadata", "hint", "created_at", "updated_at",
            "expires_at", "last_used_at", "last_used_ip", "usage_count", "previous_token_expires_at",
            "status_changed_at", "status_changed_by", "status_reason", "version", "rate_limit", "quota",
            "webhook_config", "storage_config", "effective.rate_limit", "effective.quota", "effective.webhook_config",
            "effective.storage_config");

    private Tables() {
    }

    /** Renders rows under headers, each column as wide as its widest cell. */
    static String table(List<String> headers, List<List<String>> rows) {
        int[] width = new int[headers.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(headers);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < width.length; i++) {
                line.append(i + 1 < width.length ? pad(row.get(i), width[i] + 2) : row.get(i));
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        return b.toString().stripTrailing();
    }

    /**
     * Renders a key's fields, one {@code name: value} per line; limits as {@code 100/60s} and
     * {@code 10000/day (9950 left, refills …)}, and what applies after inheritance as {@code effective.*}.
     */
    static String key(JsonNode key) {
        List<List<String>> rows = new ArrayList<>();
        for (String f : KEY_FIELDS) {
            int dot = f.indexOf('.');
            JsonNode v = dot < 0 ? key.path(f) : key.path(f.substring(0, dot)).path(f.substring(dot + 1));
            String name = dot < 0 ? f : f.substring(dot + 1);
            String cell = switch (name) {
                case "rate_limit" -> LimitSpecs.rateLimit(v);
                case "quota" -> LimitSpecs.quota(v);
                default -> text(v);
            };
            rows.add(List.of(f + ":", cell));
        }
        StringBuilder b = new StringBuilder();
        int w = KEY_FIELDS.stream().mapToInt(String::length).max().orElse(0) + 2;
        for (List<String> r : rows) {
            b.append(pad(r.get(0), w)).append(r.get(1)).append('\n');
        }
        return b.toString().stripTrailing();
    }

    /** One cell: {@code -} for null, lists comma-separated, IP rules as value(label) [status], maps as k=v. */
    static String text(JsonNode v) {
        if (v.isMissingNode() || v.isNull()) {
            return "-";
        }
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode e : v) {
                if (e.isObject() && e.has("value")) {
                    String label = e.path("label").isNull() || e.path("label").isMissingNode() ? ""
                            : "(" + e.get("label").asText() + ")";
                    String status = e.path("status").asText("active").equals("active") ? "" : " [inactive]";
                    parts.add(e.get("value").asText() + label + status);
                } else {
                    parts.add(e.asText());
                }
            }
            return parts.isEmpty() ? "-" : String.join(",", parts);
        }
        if (v.isObject()) {
            List<String> parts = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : v.properties()) {
                parts.add(e.getKey() + "=" + e.getValue().asText());
            }
            return parts.isEmpty() ? "-" : String.join(",", parts);
        }
        return v.asText();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
