package dev.latchkey.admin.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code latchkey keys create}: {@code POST /v1/keys}; prints the key and its token, which is shown this once. */
@Command(name = "create", description = "Create a key. Its token is printed this once: store it now. "
        + "Without --rate-limit or --quota the key inherits its tenant's defaults.")
final class KeyCreate extends ApiCommand {

    @Option(names = "--name", required = true, description = "A name people recognise (1-100 characters).")
    String name = "";

    @Option(names = "--tenant", paramLabel = "TENANT_ID", description = "The tenant (default: default).")
    @Nullable String tenant;

    @Option(names = "--owner", paramLabel = "OWNER_ID", description = "Who the key is for.")
    @Nullable String owner;

    @Option(names = "--environment", paramLabel = "live|test", description = "live (default) or test.")
    @Nullable String environment;

    @Option(names = "--type", paramLabel = "standard|trial", description = "standard (default) or trial.")
    @Nullable String type;

    @Option(names = "--scope", paramLabel = "SCOPE", description = "A scope the key grants; repeat for more.")
    List<String> scopes = new ArrayList<>();

    @Option(names = "--ip", paramLabel = "CIDR[=LABEL]",
            description = "An address or CIDR the key may be used from; repeat for more (none = any address).")
    List<String> ips = new ArrayList<>();

    @Option(names = "--expires-at", paramLabel = "TIME", description = "RFC 3339 UTC, e.g. 2030-01-31T00:00:00Z.")
    @Nullable String expiresAt;

    @Option(names = "--metadata", paramLabel = "KEY=VALUE", description = "A metadata pair; repeat for more.")
    Map<String, String> metadata = new LinkedHashMap<>();

    @Option(names = "--rate-limit", paramLabel = "LIMIT/PERIOD", converter = LimitSpecs.RateLimit.class,
            description = "At most LIMIT requests per PERIOD seconds (or 30s, 1m, 1h, 1d), e.g. 100/60 "
                    + "(root and latchkey:admin only; default: the tenant's).")
    @Nullable ObjectNode rateLimit;

    @Option(names = "--quota", paramLabel = "LIMIT/PERIOD[/REMAINING]", converter = LimitSpecs.KeyQuota.class,
            description = "A balance of LIMIT units refilled each day or month, or none for prepaid credits, "
                    + "e.g. 10000/day or 500/none/200 (root and latchkey:admin only; default: the tenant's).")
    @Nullable ObjectNode quota;

    @Override
    int run(AdminClient client) {
        ObjectNode body = AdminClient.JSON.createObjectNode().put("name", name);
        putIf(body, "tenant_id", tenant);
        putIf(body, "owner_id", owner);
        putIf(body, "environment", environment);
        putIf(body, "type", type);
        putIf(body, "expires_at", expiresAt);
        if (!scopes.isEmpty()) {
            body.set("scopes", KeysCommand.strings(scopes));
        }
        if (!ips.isEmpty()) {
            body.set("ip_restrictions", KeysCommand.ipRules(ips));
        }
        if (!metadata.isEmpty()) {
            ObjectNode m = body.putObject("metadata");
            metadata.forEach(m::put);
        }
        if (rateLimit != null) {
            body.set("rate_limit", rateLimit);
        }
        if (quota != null) {
            body.set("quota", quota);
        }
        JsonNode key = expect(client.send("POST", "/v1/keys", body), 201).body();
        return print(key, Tables.key(key) + "\n\ntoken:  " + key.path("token").asText()
                + "\n(shown this once: store it now; it cannot be read again)");
    }

    static void putIf(ObjectNode body, String field, @Nullable String value) {
        if (value != null) {
            body.put(field, value);
        }
    }
}
