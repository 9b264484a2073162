package dev.latchkey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.core.Environment;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.internal.Ids;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tests for the admin service's own failed-authentication throttle (API.md §4, §7): its 429 {@code too_many_failures}
 * carries {@code Retry-After} and the same {@code retry_after} in the problem body, on requests with and without a
 * body (the body gate and the Jersey filter answer them).
 */
class AuthFailureThrottleIT {

    private static final String ROOT = "root-for-throttle";

    private InMemoryAdmin admin;
    private Http http;

    @BeforeEach
    void start() {
        admin = new InMemoryAdmin(ROOT, b -> b.authFailures(5, Duration.ofMinutes(1)));
        http = admin.http;
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    private static String unknownToken() {
        return TokenCodec.defaults().generate(Environment.LIVE, Ids.next());
    }

    private static void assertTooManyFailures(Http.Res r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(429);
        assertThat(r.header("Content-Type")).startsWith(Problems.PROBLEM_JSON);
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        JsonNode p = r.json();
        assertThat(p.get("code").asText()).isEqualTo("too_many_failures");
        long header = Long.parseLong(r.header("Retry-After"));
        assertThat(header).isBetween(1L, 60L);
        assertThat(p.has("retry_after")).as(r.toString()).isTrue();
        assertThat(p.get("retry_after").asLong()).isEqualTo(header);
    }

    @Test
    void tooManyFailures_withoutBody_carriesRetryAfterInHeaderAndBody() {
        for (int i = 0; i < 7; i++) {
            assertThat(http.send("GET", "/v1/keys", "lk_live_bad" + i, null).status()).isIn(401, 429);
        }
        assertTooManyFailures(http.send("GET", "/v1/keys", unknownToken(), null));
    }

    @Test
    void tooManyFailures_withBody_carriesRetryAfterInHeaderAndBody_andCreatesNothing() {
        for (int i = 0; i < 7; i++) {
            http.send("GET", "/v1/keys", unknownToken(), null);
        }
        assertTooManyFailures(http.send("POST", "/v1/keys", unknownToken(), Http.map("name", "x")));
        assertThat(http.send("GET", "/v1/keys", ROOT, null).json().get("total").asLong()).isZero();
    }
}
