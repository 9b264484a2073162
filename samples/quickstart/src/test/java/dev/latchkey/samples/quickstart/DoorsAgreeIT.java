package dev.latchkey.samples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.core.Environment;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.internal.Ids;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The two doors of one process, the servlet filter and the admin service, answer alike where they share a rule:
 * both take {@code trace_id} from the one W3C trace-context parser, and both throttle failed authentications per
 * address the same way (API.md §4, §5, §7).
 */
class DoorsAgreeIT {

    private static final String ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static Running running;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        running = Running.start(Map.of("LATCHKEY_AUTH_FAILURE_LIMIT", "5", "LATCHKEY_AUTH_FAILURE_PERIOD", "PT1H"));
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    private static HttpResponse<String> get(URI base, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static @Nullable String traceId(HttpResponse<String> r) throws Exception {
        JsonNode body = JSON.readTree(r.body());
        return body.has("trace_id") ? body.get("trace_id").asText() : null;
    }

    @Test
    void traceparent_theFilterAndTheAdminServiceAcceptAndRefuseTheSameValues() throws Exception {
        List<String> values = List.of(
                "00-" + ID + "-00f067aa0ba902b7-01",
                "01-" + ID + "-00f067aa0ba902b7-01-future-field",
                "00-" + ID + "-00f067aa0ba902b7-01-extra",
                "ff-" + ID + "-00f067aa0ba902b7-01",
                "00-" + "0".repeat(32) + "-00f067aa0ba902b7-01",
                "00-" + ID + "-0000000000000000-01",
                "00-" + ID.toUpperCase() + "-00f067aa0ba902b7-01",
                "garbage");
        Quickstart q = running.quickstart();
        for (String tp : values) {
            HttpResponse<String> admin = get(q.adminUri(), "/v1/keys/01ARZ3NDEKTSV4RRFFQ69G5FAV",
                    "Authorization", "Bearer " + running.printedAdminToken(), "traceparent", tp);
            HttpResponse<String> app = get(q.appUri(), "/hello", "traceparent", tp);
            assertThat(admin.statusCode()).isEqualTo(404);
            assertThat(app.statusCode()).isEqualTo(401);
            assertThat(traceId(admin)).as(tp).isEqualTo(traceId(app));
        }
        assertThat(traceId(get(q.appUri(), "/hello", "traceparent", values.get(0)))).isEqualTo(ID);
    }

    @Test
    void failureFlood_bothDoorsAnswer429TooManyFailures_pastTheLimit() throws Exception {
        Quickstart q = running.quickstart();
        for (URI base : List.of(q.appUri(), q.adminUri())) {
            String path = base.equals(q.appUri()) ? "/hello" : "/v1/keys";
            int tooMany = 0;
            for (int i = 0; i < 12; i++) {
                // distinct well-formed tokens that neither cache can answer
                String token = TokenCodec.defaults().generate(Environment.LIVE, Ids.next());
                HttpResponse<String> r = get(base, path, "Authorization", "Bearer " + token);
                if (r.statusCode() == 429) {
                    tooMany++;
                    assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
                    assertThat(JSON.readTree(r.body()).get("code").asText()).isEqualTo("too_many_failures");
                    long retryAfter = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
                    assertThat(retryAfter).isPositive();
                    // API.md §4: the body repeats it as retry_after, at both doors (one denial table)
                    assertThat(JSON.readTree(r.body()).path("retry_after").asLong(-1)).as(base.toString())
                            .isEqualTo(retryAfter);
                } else {
                    assertThat(r.statusCode()).isEqualTo(401);
                }
            }
            assertThat(tooMany).as(base.toString()).isEqualTo(7);
        }
    }
}
