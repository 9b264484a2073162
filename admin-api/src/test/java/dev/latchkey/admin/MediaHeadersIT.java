package dev.latchkey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.testkit.RawHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tests for malformed {@code Content-Type} and {@code Accept} headers, over raw sockets: each is a 400
 * {@code invalid_request} problem naming the header (API.md §4), never the bare empty 400 Jersey answered, and
 * changes nothing.
 */
class MediaHeadersIT {

    private static final String ROOT = "root-for-media-headers";
    private static final String BODY = "{\"name\":\"x\"}";

    private InMemoryAdmin admin;

    @BeforeEach
    void start() {
        admin = new InMemoryAdmin(ROOT);
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    private RawHttp.Answer send(String method, String path, String header, String body) {
        String head = method + " " + path + " HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + ROOT + "\r\n"
                + header + "\r\n";
        if (!body.isEmpty()) {
            head += "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n";
        }
        return RawHttp.exchange(admin.server.port(), head + "Connection: close\r\n\r\n" + body);
    }

    private static void assertNamesHeader(RawHttp.Answer a, String header) throws IOException {
        JsonNode p = HostileClientsIT.assertProblem(a, 400, "invalid_request");
        assertThat(p.get("detail").asText()).startsWith(header + " header is malformed");
        assertThat(p.get("errors").get(0).get("field").asText()).isEqualTo(header);
    }

    private long total() throws IOException {
        RawHttp.Answer list = send("GET", "/v1/keys", "Accept: application/json", "");
        return Http.JSON.readTree(list.body()).get("total").asLong();
    }

    @Test
    void create_withMalformedContentType_is400ProblemNamingIt_andCreatesNothing() throws IOException {
        for (String type : List.of("%%%", "application/", "/json", "application/json, text/plain")) {
            assertNamesHeader(send("POST", "/v1/keys", "Content-Type: " + type, BODY), "Content-Type");
        }
        assertNamesHeader(send("POST", "/v1/keys", "Content-Type: application/json\r\nContent-Type: text/plain",
                BODY), "Content-Type");
        assertThat(total()).isZero();
    }

    @Test
    void create_withMalformedAccept_is400ProblemNamingIt_andCreatesNothing() throws IOException {
        assertNamesHeader(send("POST", "/v1/keys", "Content-Type: application/json\r\nAccept: application/", BODY),
                "Accept");
        assertThat(total()).isZero();
    }

    @Test
    void get_withMalformedAccept_is400ProblemNamingIt_onAuthenticatedAndOpenEndpoints() throws IOException {
        for (String path : List.of("/v1/keys", "/health", "/metrics", "/openapi.json")) {
            for (String accept : List.of("application/", "%%%", "/json")) {
                assertNamesHeader(send("GET", path, "Accept: " + accept, ""), "Accept");
            }
        }
    }

    @Test
    void get_withWellFormedHeaders_stillAnswers() throws IOException {
        RawHttp.Answer a = send("GET", "/v1/keys", "Accept: application/json, text/plain;q=0.5", "");
        assertThat(a.status()).as(a.toString()).isEqualTo(200);
        RawHttp.Answer created = send("POST", "/v1/keys", "Content-Type: application/json; charset=utf-8", BODY);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }
}
