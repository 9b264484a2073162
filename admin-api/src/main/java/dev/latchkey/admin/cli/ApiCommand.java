package dev.latchkey.admin.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A command that talks to a running admin service: the connection options every such command takes
 * ({@code --url}, {@code --token}, {@code --json}), the client, and how answers and errors are printed. An error
 * answer prints its problem (code, detail, each invalid field) on standard error, and with {@code --json} the
 * problem body on standard output, then ends with the {@link ExitCodes} of its status.
 */
abstract class ApiCommand implements Callable<Integer> {

    static final String DEFAULT_URL = "http://127.0.0.1:8080";

    @Option(names = "--url", paramLabel = "URL",
            description = "The admin service (default: $LATCHKEY_ADMIN_URL, else " + DEFAULT_URL + ").")
    @Nullable String url;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "The admin token (default: $LATCHKEY_ADMIN_TOKEN; prefer the variable, options show in ps).")
    @Nullable String token;

    @Option(names = "--json", description = "Print the service's JSON answer instead of a table, for scripts.")
    boolean json;

    @Spec
    @Nullable CommandSpec spec;

    /** Runs the command against the service; returns the exit code. */
    abstract int run(AdminClient client);

    @Override
    public Integer call() {
        return run(new AdminClient(baseUri(), firstNonBlank(token, env().get("LATCHKEY_ADMIN_TOKEN"))));
    }

    private URI baseUri() {
        String u = firstNonBlank(url, env().get("LATCHKEY_ADMIN_URL"));
        String chosen = u == null ? DEFAULT_URL : u;
        try {
            URI uri = URI.create(chosen);
            if (uri.getScheme() == null || uri.getHost() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException();
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "not an http(s) URL: " + chosen);
        }
    }

    private Map<String, String> env() {
        Object root = spec().root().userObject();
        return root instanceof LatchkeyCli cli ? cli.env() : System.getenv();
    }

    private static @Nullable String firstNonBlank(@Nullable String a, @Nullable String b) {
        if (a != null && !a.isBlank()) {
            return a;
        }
        return b != null && !b.isBlank() ? b : null;
    }

    CommandSpec spec() {
        if (spec == null) {
            throw new IllegalStateException("not run by picocli");
        }
        return spec;
    }

    PrintWriter out() {
        return spec().commandLine().getOut();
    }

    PrintWriter err() {
        return spec().commandLine().getErr();
    }

    /**
     * Returns the answer when its status is {@code expected}; otherwise prints the problem and ends the command with
     * the status's exit code.
     */
    AdminClient.Answer expect(AdminClient.Answer a, int expected) {
        if (a.status() == expected) {
            return a;
        }
        if (json && !a.body().isNull()) {
            out().println(pretty(a.body()));
            out().flush();
        }
        JsonNode b = a.body();
        StringBuilder m = new StringBuilder().append(a.status());
        if (b.hasNonNull("code")) {
            m.append(' ').append(b.get("code").asText());
        }
        if (b.hasNonNull("detail")) {
            m.append(": ").append(b.get("detail").asText());
        }
        for (JsonNode e : b.path("errors")) {
            m.append("\n  ").append(e.path("field").asText()).append(": ").append(e.path("description").asText());
        }
        if (b.hasNonNull("retry_after")) {
            m.append(" (retry after ").append(b.get("retry_after").asText()).append(" s)");
        }
        if (b.hasNonNull("request_id")) {
            m.append("\n  request_id ").append(b.get("request_id").asText());
        }
        throw new CliException(ExitCodes.forStatus(a.status()), m.toString());
    }

    /** Prints {@code body} as JSON with {@code --json}, else the table {@code human} gives. */
    int print(JsonNode body, String human) {
        out().println(json ? pretty(body) : human);
        out().flush();
        return ExitCodes.OK;
    }

    static String pretty(JsonNode node) {
        try {
            return AdminClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Percent-encodes one path segment or query value. */
    static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
