package dev.latchkey.admin.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A small HTTP client for the admin API: JSON in and out, {@code Authorization: Bearer} when a token is set, HTTP/1.1
 * (Grizzly and the JDK client's {@code h2c} upgrade do not mix). A network failure becomes a {@link CliException}
 * with {@link ExitCodes#UNAVAILABLE}; any answer, error or not, is returned for the caller to judge.
 */
final class AdminClient {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final @Nullable String token;

    AdminClient(URI base, @Nullable String token) {
        this.base = base;
        this.token = token == null || token.isBlank() ? null : token;
    }

    /** An answer of the service: status, the headers a command needs, and the body as JSON (null node if none). */
    record Answer(int status, JsonNode body, @Nullable String etag) {
    }

    Answer send(String method, String path, @Nullable JsonNode body, String... headers) {
        String text;
        try {
            text = body == null ? null : JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        URI uri = URI.create(base.toString().replaceAll("/+$", "") + path);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json, application/problem+json")
                .method(method, text == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8));
        if (text != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "cannot reach the admin service at " + base
                    + " (set LATCHKEY_ADMIN_URL or --url)");
        } catch (HttpTimeoutException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "the admin service at " + base + " did not answer in time");
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "cannot talk to the admin service at " + base + ": "
                    + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.UNAVAILABLE, "interrupted");
        }
        JsonNode json = NullNode.getInstance();
        if (!r.body().isBlank()) {
            try {
                json = JSON.readTree(r.body());
            } catch (IOException e) {
                throw new CliException(ExitCodes.UNAVAILABLE, "the service at " + base + " answered " + r.statusCode()
                        + " with a body that is not JSON: is it a Latchkey admin service?");
            }
        }
        return new Answer(r.statusCode(), json, r.headers().firstValue("ETag").orElse(null));
    }
}
