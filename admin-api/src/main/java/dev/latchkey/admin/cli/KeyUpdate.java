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

/** {@code latchkey keys update ID}: {@code PATCH /v1/keys/{id}} with only the fields given. */
@Command(name = "update", description = "Change a key's name, owner, scopes, IP rules, expiry, metadata, rate limit or "
        + "quota. Only the options given change; lists, metadata and limits replace the whole value.")
final class KeyUpdate extends KeyCommands.OnKey {

    @Option(names = "--name", description = "A new name.")
    @Nullable String name;

    @Option(names = "--owner", paramLabel = "OWNER_ID", description = "A new owner.")
    @Nullable String owner;

    @Option(names = "--no-owner", description = "Clear the owner.")
    boolean noOwner;

    @Option(names = "--scope", paramLabel = "SCOPE", description = "The scopes (replace all); repeat for more.")
    List<String> scopes = new ArrayList<>();

    @Option(names = "--no-scopes", description = "Remove every scope.")
    boolean noScopes;

    @Option(names = "--ip", paramLabel = "CIDR[=LABEL]", description = "The IP rules (replace all); repeat.")
    List<String> ips = new ArrayList<>();

    @Option(names = "--no-ips", description = "Remove every IP rule (any address).")
    boolean noIps;

    @Option(names = "--expires-at", paramLabel = "TIME", description = "A new expiry, RFC 3339 UTC.")
    @Nullable String expiresAt;

    @Option(names = "--no-expiry", description = "Clear the expiry (not for trial keys).")
    boolean noExpiry;

    @Option(names = "--metadata", paramLabel = "KEY=VALUE", description = "The metadata (replace all); repeat.")
    Map<String, String> metadata = new LinkedHashMap<>();

    @Option(names = "--no-metadata", description = "Remove all metadata.")
    boolean noMetadata;

    @Option(names = "--rate-limit", paramLabel = "LIMIT/PERIOD", converter = LimitSpecs.RateLimit.class,
            description = "A new rate limit (replaces the whole value): LIMIT per PERIOD seconds (or 30s, 1m, 1h, 1d).")
    @Nullable ObjectNode rateLimit;

    @Option(names = "--no-rate-limit", description = "Clear the key's rate limit: it inherits the tenant's.")
    boolean noRateLimit;

    @Option(names = "--quota", paramLabel = "LIMIT/PERIOD[/REMAINING]", converter = LimitSpecs.KeyQuota.class,
            description = "A new quota (replaces the whole value): LIMIT per day, month or none (prepaid); "
                    + "REMAINING defaults to the current balance, capped at LIMIT.")
    @Nullable ObjectNode quota;

    @Option(names = "--no-quota", description = "Clear the key's quota: it inherits the tenant's.")
    boolean noQuota;

    @Option(names = "--if-match", paramLabel = "VERSION", description = "Change only if the key is still at this "
            + "version (a number or the ETag).")
    @Nullable String ifMatch;

    @Override
    int run(AdminClient client) {
        ObjectNode body = AdminClient.JSON.createObjectNode();
        KeyCreate.putIf(body, "name", name);
        KeyCreate.putIf(body, "owner_id", owner);
        if (noOwner) {
            body.putNull("owner_id");
        }
        if (!scopes.isEmpty() || noScopes) {
            body.set("scopes", KeysCommand.strings(scopes));
        }
        if (!ips.isEmpty() || noIps) {
            body.set("ip_restrictions", KeysCommand.ipRules(ips));
        }
        KeyCreate.putIf(body, "expires_at", expiresAt);
        if (noExpiry) {
            body.putNull("expires_at");
        }
        if (!metadata.isEmpty() || noMetadata) {
            ObjectNode m = body.putObject("metadata");
            metadata.forEach(m::put);
        }
        limit(body, "rate_limit", rateLimit, noRateLimit, "--rate-limit");
        limit(body, "quota", quota, noQuota, "--quota");
        if (body.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "nothing to change: give at least one option (see --help)");
        }
        JsonNode key = expect(client.send("PATCH", path(), body, KeyCommands.ifMatchHeader(ifMatch)), 200).body();
        return print(key, Tables.key(key));
    }

    /** Sets a limit field: the value, or null (inherit) with its {@code --no-} option; both is a usage error. */
    static void limit(ObjectNode body, String field, @Nullable ObjectNode value, boolean clear, String option) {
        if (value != null && clear) {
            throw new CliException(ExitCodes.USAGE, option + " and --no-" + option.substring(2)
                    + " exclude each other");
        }
        if (value != null) {
            body.set(field, value);
        } else if (clear) {
            body.putNull(field);
        }
    }
}
