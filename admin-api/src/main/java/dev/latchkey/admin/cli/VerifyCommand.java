package dev.latchkey.admin.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code latchkey verify}: {@code POST /v1/verify} with a token read from standard input (so it stays out of the
 * shell history and the process list). Exits 0 whenever the service answered, valid or not: the answer says which.
 */
@Command(name = "verify", description = "Verify a token as the filter would. The token is read from standard "
        + "input, e.g. printf '%%s' \"$TOKEN\" | latchkey verify --scope reports:read")
final class VerifyCommand extends ApiCommand {

    @Option(names = "--ip", paramLabel = "ADDRESS", description = "The client address to check the key's IP rules "
            + "against.")
    @Nullable String ip;

    @Option(names = "--scope", paramLabel = "SCOPE", description = "A scope the token must grant; repeat for more.")
    List<String> scopes = new ArrayList<>();

    @Override
    int run(AdminClient client) {
        String token = readToken();
        ObjectNode body = AdminClient.JSON.createObjectNode().put("token", token);
        KeyCreate.putIf(body, "ip", ip);
        if (!scopes.isEmpty()) {
            body.set("scopes", KeysCommand.strings(scopes));
        }
        JsonNode r = expect(client.send("POST", "/v1/verify", body), 200).body();
        String human = r.path("valid").asBoolean()
                ? "valid: key " + r.path("key").path("id").asText() + " (" + r.path("key").path("name").asText()
                        + ", tenant " + r.path("key").path("tenant_id").asText() + ")"
                : "not valid: " + r.path("code").asText();
        return print(r, human);
    }

    private String readToken() {
        Object root = spec().root().userObject();
        java.io.InputStream in = root instanceof LatchkeyCli cli ? cli.in() : System.in;
        try {
            String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isBlank()) {
                throw new CliException(ExitCodes.USAGE, "no token on standard input");
            }
            return line.strip();
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read the token from standard input");
        }
    }
}
