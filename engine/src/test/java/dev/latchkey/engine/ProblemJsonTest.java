package dev.latchkey.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests for {@link ProblemJson} and {@link TraceContext}: the members of API.md §4 and the W3C trace id. */
class ProblemJsonTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void body_hasTheMembersOfSection4_inOrder() throws Exception {
        JsonNode p = json.readTree(ProblemJson.body(401, "unauthenticated", "Unauthenticated", "missing: x\u0001\"",
                "/app/hello", "req-1", "2026-11-23T10:15:30Z", "4bf92f3577b34da6a3ce929d0e0e4736", null));
        List<String> names = new ArrayList<>();
        p.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("type", "title", "status", "detail", "instance", "code", "request_id",
                "timestamp", "trace_id");
        assertThat(p.get("type").asText()).isEqualTo("urn:latchkey:problem:unauthenticated");
        assertThat(p.get("detail").asText()).isEqualTo("missing: x\u0001\"");
    }

    @Test
    void body_rateLimited_carriesRetryAfterMember() throws Exception {
        JsonNode p = json.readTree(ProblemJson.body(429, "rate_limited", "Rate limited", "rate_limited", "/x", "r",
                "2026-11-23T10:15:30Z", null, 1L));
        assertThat(p.get("retry_after").asLong()).isEqualTo(1);
        assertThat(p.has("trace_id")).isFalse();
    }

    @Test
    void bodyOfDenial_every429_carriesRetryAfterAsItsHeader_andOthersDoNot() throws Exception {
        Denials denials = new Denials("latchkey");
        for (Denial d : List.of(denials.tooManyFailures(42), denials.rateLimited(42, java.util.Map.of()),
                denials.quotaExceeded(42, java.util.Map.of()))) {
            JsonNode p = json.readTree(ProblemJson.body(d, "/x", "r", "2026-11-23T10:15:30Z", null));
            assertThat(p.get("retry_after").asLong()).as(d.code()).isEqualTo(42).isEqualTo(d.retryAfterSeconds());
            assertThat(d.bodyRetryAfter()).isEqualTo(42L);
        }
        // a 503 carries Retry-After: 1 as a header only
        Denial down = denials.storeUnavailable();
        assertThat(down.retryAfterSeconds()).isEqualTo(1L);
        assertThat(down.bodyRetryAfter()).isNull();
        assertThat(json.readTree(ProblemJson.body(down, "/x", "r", "2026-11-23T10:15:30Z", null)).has("retry_after"))
                .isFalse();
    }

    @Test
    void traceIdOf_acceptsOnlyValidTraceparents() {
        String id = "4bf92f3577b34da6a3ce929d0e0e4736";
        assertThat(TraceContext.traceId("00-" + id + "-00f067aa0ba902b7-01")).isEqualTo(id);
        assertThat(TraceContext.traceId(" 00-" + id + "-00f067aa0ba902b7-01 ")).isEqualTo(id);
        assertThat(TraceContext.traceId("01-" + id + "-00f067aa0ba902b7-01-future")).isEqualTo(id);
        assertThat(TraceContext.traceId("00-" + id + "-00f067aa0ba902b7-01-extra")).isNull();
        assertThat(TraceContext.traceId("ff-" + id + "-00f067aa0ba902b7-01")).isNull();
        assertThat(TraceContext.traceId(" ff-" + id + "-00f067aa0ba902b7-01")).isNull();
        assertThat(TraceContext.traceId("00-" + "0".repeat(32) + "-00f067aa0ba902b7-01")).isNull();
        assertThat(TraceContext.traceId("00-" + id + "-0000000000000000-01")).isNull();
        assertThat(TraceContext.traceId("00-" + id.toUpperCase() + "-00f067aa0ba902b7-01")).isNull();
        assertThat(TraceContext.traceId(null)).isNull();
    }

    @Test
    void codeFor_aBareStatus_isItsApiCode_andUnknownStatusesFallBackByClass() {
        assertThat(ProblemJson.codeFor(404)).isEqualTo("not_found");
        assertThat(ProblemJson.codeFor(413)).isEqualTo("payload_too_large");
        assertThat(ProblemJson.codeFor(503)).isEqualTo("store_unavailable");
        assertThat(ProblemJson.codeFor(431)).isEqualTo("invalid_request");
        assertThat(ProblemJson.codeFor(502)).isEqualTo("internal");
        assertThat(ProblemJson.title(ProblemJson.codeFor(405))).isEqualTo("Method not allowed");
    }
}
