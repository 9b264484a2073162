package dev.latchkey.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.oas.annotations.media.Schema;
import java.lang.reflect.RecordComponent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Finishes the OpenAPI tree that swagger-core wrote, where annotations fall short: every response header gets a
 * schema (and every response {@code X-Request-Id}, API.md §3, which every operation also takes as an optional
 * request header; 401 answers {@code WWW-Authenticate}), the answers' {@code @Nullable} fields become
 * {@code [type, "null"]} and their always-present fields {@code required}, the {@code Problem} schema names
 * {@code retry_after} of 429 answers, and components nothing refers to are dropped.
 */
final class OpenApiPolish {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** Answer shapes whose every field is always present (null, [] or {} when unset; API.md §3). */
    private static final List<Class<? extends Record>> ALWAYS_PRESENT = List.of(Wire.Key.class,
            Wire.CreatedKey.class, Wire.KeyList.class, Wire.Rotated.class, Wire.ResetAccepted.class,
            Wire.JobView.class, Wire.IpRule.class, Wire.FieldProblem.class);

    /** Request shapes in which {@code null} is a value (PATCH: null clears). */
    private static final List<Class<? extends Record>> NULL_ALLOWED = List.of(Wire.PatchBody.class);

    private OpenApiPolish() {
    }

    static void apply(ObjectNode doc) {
        ObjectNode components = doc.withObject("/components");
        components.set("headers", headers());
        for (Class<? extends Record> type : ALWAYS_PRESENT) {
            schema(components, type, true);
        }
        for (Class<? extends Record> type : NULL_ALLOWED) {
            schema(components, type, false);
        }
        ObjectNode problem = components.withObject("/schemas/Problem");
        problem.withObject("/properties").set("retry_after", F.objectNode().put("type", "integer")
                .put("minimum", 0).put("description", "seconds to wait, as in Retry-After; only on 429 "
                        + "(rate_limited, quota_exceeded, too_many_failures)"));
        problem.set("required", F.arrayNode().add("type").add("title").add("status").add("code").add("request_id"));
        for (JsonNode path : doc.path("paths")) {
            for (JsonNode op : path) {
                for (JsonNode response : op.path("responses")) {
                    headersOf(response);
                }
            }
        }
        for (JsonNode response : components.path("responses")) {
            headersOf(response);
        }
        components.withObject("/responses/problem_429").withObject("/headers")
                .set("Retry-After", ref("#/components/headers/Retry-After"));
        components.withObject("/responses/problem_401").withObject("/headers")
                .set("WWW-Authenticate", ref("#/components/headers/WWW-Authenticate"));
        problem.withObject("/properties/trace_id").put("description",
                "the trace id of the request's W3C traceparent header, when it had one");
        components.withObject("/parameters").set("X-Request-Id", F.objectNode().put("name", "X-Request-Id")
                .put("in", "header").put("required", false)
                .put("description", "a request id of your own (1-128 of [A-Za-z0-9._:-]); answers echo it, "
                        + "else carry a new one")
                .set("schema", F.objectNode().put("type", "string").put("pattern", "^[A-Za-z0-9._:-]{1,128}$")));
        for (JsonNode path : doc.path("paths")) {
            for (JsonNode op : path) {
                if (op instanceof ObjectNode o) {
                    o.withArray("/parameters").add(ref("#/components/parameters/X-Request-Id"));
                }
            }
        }
        prune(doc);
        sort(doc);
    }

    /** Orders tags, paths and components by name, so the document does not depend on the resource set's order. */
    private static void sort(ObjectNode doc) {
        if (doc.get("tags") instanceof ArrayNode tags) {
            List<JsonNode> list = new ArrayList<>();
            tags.forEach(list::add);
            list.sort(Comparator.comparing(t -> t.path("name").asText()));
            tags.removeAll();
            tags.addAll(list);
        }
        if (doc.get("paths") instanceof ObjectNode paths) {
            doc.set("paths", sorted(paths));
        }
        if (doc.get("components") instanceof ObjectNode components) {
            components.properties().forEach(group -> {
                if (group.getValue() instanceof ObjectNode o) {
                    group.setValue(sorted(o));
                }
            });
        }
    }

    private static ObjectNode sorted(ObjectNode o) {
        ObjectNode out = F.objectNode();
        new TreeMap<>(o.properties().stream().collect(
                java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))).forEach(out::set);
        return out;
    }

    private static ObjectNode headers() {
        ObjectNode h = F.objectNode();
        h.set("X-Request-Id", header("the caller's X-Request-Id when it is 1-128 of [A-Za-z0-9._:-], else a new one",
                F.objectNode().put("type", "string").put("pattern", "^[A-Za-z0-9._:-]{1,128}$")));
        h.set("ETag", header("the key's version, quoted: send it back in If-Match",
                F.objectNode().put("type", "string").put("example", "\"3\"")));
        h.set("Location", header("where the created resource lives",
                F.objectNode().put("type", "string").put("format", "uri-reference")));
        h.set("Cache-Control", header("no-store: the answer carries a token's plaintext",
                F.objectNode().put("type", "string").put("example", "no-store")));
        h.set("WWW-Authenticate", header("Bearer realm=\"latchkey\", plus error=\"invalid_token\" when a token was "
                + "sent (RFC 6750)", F.objectNode().put("type", "string")
                .put("example", "Bearer realm=\"latchkey\", error=\"invalid_token\"")));
        h.set("Retry-After", header("seconds to wait before trying again",
                F.objectNode().put("type", "integer").put("minimum", 0)));
        return h;
    }

    private static ObjectNode header(String description, ObjectNode schema) {
        ObjectNode h = F.objectNode().put("description", description);
        h.set("schema", schema);
        return h;
    }

    private static ObjectNode ref(String target) {
        return F.objectNode().put("$ref", target);
    }

    /** Points each named header at its component and adds X-Request-Id; a {@code $ref} response is left alone. */
    private static void headersOf(JsonNode response) {
        if (!(response instanceof ObjectNode r) || r.has("$ref")) {
            return;
        }
        ObjectNode headers = r.withObject("/headers");
        for (String name : List.of("ETag", "Location", "Cache-Control", "Retry-After")) {
            if (headers.has(name)) {
                headers.set(name, ref("#/components/headers/" + name));
            }
        }
        Iterator<Map.Entry<String, JsonNode>> it = headers.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().has("$ref") && !e.getValue().has("schema")) {
                ((ObjectNode) e.getValue()).set("schema", F.objectNode().put("type", "string"));
            }
        }
        headers.set("X-Request-Id", ref("#/components/headers/X-Request-Id"));
    }

    /** Marks a record's {@code @Nullable} properties as nullable and, for answers, every property required. */
    private static void schema(ObjectNode components, Class<? extends Record> type, boolean required) {
        Schema named = type.getAnnotation(Schema.class);
        String name = named == null || named.name().isEmpty() ? type.getSimpleName() : named.name();
        JsonNode schema = components.path("schemas").path(name);
        if (!(schema.path("properties") instanceof ObjectNode properties)) {
            throw new IllegalStateException("no schema " + name + " in the OpenAPI document");
        }
        ArrayNode names = F.arrayNode();
        for (RecordComponent c : type.getRecordComponents()) {
            String property = snake(c.getName());
            names.add(property);
            if (c.getAnnotatedType().isAnnotationPresent(Nullable.class)
                    && properties.get(property) instanceof ObjectNode p) {
                nullable(p);
            }
        }
        if (required) {
            ((ObjectNode) schema).set("required", names);
        }
    }

    private static void nullable(ObjectNode property) {
        JsonNode t = property.get("type");
        if (t != null && t.isTextual()) {
            property.set("type", F.arrayNode().add(t.asText()).add("null"));
        } else if (t instanceof ArrayNode a) {
            boolean has = false;
            for (JsonNode x : a) {
                has |= x.asText().equals("null");
            }
            if (!has) {
                a.add("null");
            }
        }
        JsonNode values = property.get("enum");
        if (values instanceof ArrayNode e) {
            e.addNull();
        }
    }

    static String snake(String camel) {
        StringBuilder b = new StringBuilder();
        for (char ch : camel.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                b.append('_').append(Character.toLowerCase(ch));
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }

    /** Drops every component that no path reaches through {@code $ref}s (security schemes stay). */
    private static void prune(ObjectNode doc) {
        Set<String> reached = new HashSet<>();
        Deque<JsonNode> work = new ArrayDeque<>();
        work.add(doc.path("paths"));
        while (!work.isEmpty()) {
            JsonNode n = work.pop();
            if (n.isObject()) {
                JsonNode r = n.get("$ref");
                if (r != null && r.isTextual() && r.asText().startsWith("#/") && reached.add(r.asText())) {
                    work.add(doc.at(r.asText().substring(1)));
                }
            }
            n.forEach(work::add);
        }
        ObjectNode components = (ObjectNode) doc.path("components");
        for (String kind : List.of("schemas", "responses", "headers", "parameters", "requestBodies")) {
            if (components.get(kind) instanceof ObjectNode group) {
                group.properties().removeIf(e -> !reached.contains("#/components/" + kind + "/" + e.getKey()));
                if (group.isEmpty()) {
                    components.remove(kind);
                }
            }
        }
    }
}
