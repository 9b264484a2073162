package dev.latchkey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Drives some admin traffic (create, verify, rotate, a 404) so that every meter has samples, then scrapes. */
final class MetricsTraffic {

    private MetricsTraffic() {
    }

    static String scrapeAfterTraffic(AdminServer server) {
        Http http = new Http(server.baseUri());
        JsonNode key = http.send("POST", "/v1/keys", "root", Http.map("name", "metrics", "scopes", List.of("a:b")))
                .json();
        String token = key.get("token").asText();
        String id = key.get("id").asText();
        for (int i = 0; i < 3; i++) {
            assertThat(http.send("POST", "/v1/verify", "root", Http.map("token", token)).json().get("valid")
                    .asBoolean()).isTrue();
        }
        assertThat(http.send("POST", "/v1/verify", "root", Http.map("token", "lk_live_nope")).status())
                .isEqualTo(200);
        assertThat(http.send("POST", "/v1/keys/" + id + "/rotate", "root", null).status()).isEqualTo(200);
        assertThat(http.send("POST", "/v1/verify", "root", Http.map("token", token)).json().get("valid")
                .asBoolean()).isTrue();
        assertThat(http.send("GET", "/v1/keys/01JD0000000000000000000000", "root", null).status()).isEqualTo(404);
        assertThat(http.send("GET", "/v1/keys", "root", null).status()).isEqualTo(200);
        server.flushUsage();
        // jvm_gc_pause_* appears only once a collection has run; ask for one so the scrape always has it.
        System.gc();
        String body = "";
        for (int i = 0; i < 50 && !body.contains("jvm_gc_pause_seconds_sum"); i++) {
            Http.Res r = http.send("GET", "/metrics", null, null);
            assertThat(r.status()).isEqualTo(200);
            body = r.body();
        }
        return body;
    }
}
