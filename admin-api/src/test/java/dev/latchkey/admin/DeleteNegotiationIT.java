package dev.latchkey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.InMemoryKeyStore;
import org.junit.jupiter.api.Test;

/**
 * Tests for {@code DELETE /v1/keys/{id}} content negotiation: an answer without a body suits a client that accepts
 * only {@code application/problem+json}, as the client openapi-generator makes from the document does.
 */
class DeleteNegotiationIT {

    @Test
    void delete_acceptingOnlyProblems_answers204_andThen404AsAProblem() {
        try (InMemoryKeyStore store = new InMemoryKeyStore();
                AdminServer server = AdminServer.builder(store).port(0).adminToken("root").build().start()) {
            Http http = new Http(server.baseUri());
            String id = http.send("POST", "/v1/keys", "root", Http.map("name", "negotiation")).json().get("id")
                    .asText();
            Http.Res deleted = http.send("DELETE", "/v1/keys/" + id, "root", null, "Accept", Problems.PROBLEM_JSON);
            assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
            Http.Res again = http.send("DELETE", "/v1/keys/" + id, "root", null, "Accept", Problems.PROBLEM_JSON);
            assertThat(again.status()).isEqualTo(404);
            assertThat(again.header("Content-Type")).startsWith(Problems.PROBLEM_JSON);
            assertThat(again.json().get("code").asText()).isEqualTo("key_not_found");
        }
    }
}
