package dev.latchkey.redis;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.latchkey.core.events.Attempt;
import dev.latchkey.core.events.Delivery;
import dev.latchkey.core.events.DeliveryStatus;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A webhook delivery as one JSON string in Redis (times as Unix milliseconds). */
final class DeliveryCodec {

    private static final JsonFactory JSON = new JsonFactory();

    private DeliveryCodec() {
    }

    static String encode(Delivery d) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", d.id());
            g.writeStringField("config", d.configId());
            g.writeStringField("tenant", d.tenantId());
            g.writeStringField("event", d.eventId());
            g.writeStringField("type", d.eventType());
            g.writeStringField("body", d.body());
            g.writeStringField("status", d.status().wire());
            if (d.nextAttemptAt() != null) {
                g.writeNumberField("next", d.nextAttemptAt().toEpochMilli());
            }
            g.writeNumberField("created", d.createdAt().toEpochMilli());
            g.writeArrayFieldStart("log");
            for (Attempt a : d.attemptLog()) {
                g.writeStartObject();
                g.writeNumberField("at", a.at().toEpochMilli());
                if (a.statusCode() != null) {
                    g.writeNumberField("code", a.statusCode());
                }
                if (a.error() != null) {
                    g.writeStringField("error", a.error());
                }
                g.writeNumberField("ms", a.durationMs());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static Delivery decode(String text) {
        try (JsonParser p = JSON.createParser(text)) {
            Map<String, Object> f = new HashMap<>();
            List<Attempt> log = new ArrayList<>();
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if ("log".equals(name)) {
                    expect(t, JsonToken.START_ARRAY);
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        log.add(attempt(p));
                    }
                } else {
                    f.put(name, t == JsonToken.VALUE_NUMBER_INT ? (Object) p.getLongValue() : p.getText());
                }
            }
            return new Delivery(str(f, "id"), str(f, "config"), str(f, "tenant"), str(f, "event"), str(f, "type"),
                    str(f, "body"), Objects.requireNonNull(DeliveryStatus.fromWire(str(f, "status"))),
                    f.containsKey("next") ? Instant.ofEpochMilli((Long) f.get("next")) : null,
                    Instant.ofEpochMilli((Long) Objects.requireNonNull(f.get("created"))), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Attempt attempt(JsonParser p) throws IOException {
        long at = 0;
        long ms = 0;
        Integer code = null;
        String error = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "at" -> at = p.getLongValue();
                case "code" -> code = p.getIntValue();
                case "error" -> error = p.getText();
                case "ms" -> ms = p.getLongValue();
                default -> p.skipChildren();
            }
        }
        return new Attempt(Instant.ofEpochMilli(at), code, error, ms);
    }

    private static String str(Map<String, Object> f, String name) {
        Object v = f.get(name);
        if (v == null) {
            throw new IllegalArgumentException("a stored delivery lacks " + name);
        }
        return v.toString();
    }

    private static void expect(@Nullable JsonToken actual, JsonToken wanted) throws IOException {
        if (actual != wanted) {
            throw new IOException("a stored delivery is not a JSON object");
        }
    }
}
