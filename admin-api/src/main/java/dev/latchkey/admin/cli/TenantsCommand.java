package dev.latchkey.admin.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code latchkey tenants …}: a tenant's defaults (API.md §9), what its keys inherit where their own field is null.
 * Alone, or {@code tenants defaults} alone, it prints the usage and exits 1.
 */
@Command(name = "tenants", description = "Read and change what a tenant's keys inherit.",
        subcommands = TenantsCommand.Defaults.class)
final class TenantsCommand implements Callable<Integer> {

    @Spec
    @Nullable CommandSpec spec;

    @Override
    public Integer call() {
        return usage(spec);
    }

    static int usage(@Nullable CommandSpec spec) {
        if (spec != null) {
            spec.commandLine().usage(spec.commandLine().getErr());
        }
        return ExitCodes.USAGE;
    }

    /** {@code latchkey tenants defaults get|set}. */
    @Command(name = "defaults", description = "A tenant's default rate limit, quota, webhook and storage configs.",
            subcommands = {Get.class, Set.class})
    static final class Defaults implements Callable<Integer> {
        @Spec
        @Nullable CommandSpec spec;

        @Override
        public Integer call() {
            return usage(spec);
        }
    }

    /** A command on one tenant's defaults, {@code /v1/tenants/{tenant_id}/defaults}. */
    abstract static class OnTenant extends ApiCommand {
        @Parameters(index = "0", paramLabel = "TENANT_ID", description = "The tenant.")
        String tenant = "";

        String path() {
            return "/v1/tenants/" + enc(tenant) + "/defaults";
        }

        int show(AdminClient.Answer a) {
            JsonNode d = a.body();
            String table = Tables.table(List.of("FIELD", "DEFAULT"), List.of(
                    List.of("tenant_id", Tables.text(d.path("tenant_id"))),
                    List.of("rate_limit", LimitSpecs.rateLimit(d.path("rate_limit"))),
                    List.of("quota", LimitSpecs.quota(d.path("quota"))),
                    List.of("webhook_config", Tables.text(d.path("webhook_config"))),
                    List.of("storage_config", Tables.text(d.path("storage_config"))),
                    List.of("version", Tables.text(d.path("version"))),
                    List.of("updated_at", Tables.text(d.path("updated_at")))));
            return print(d, table);
        }
    }

    /** {@code latchkey tenants defaults get TENANT}. */
    @Command(name = "get", description = "Show a tenant's defaults (all none, version 0, until first set).")
    static final class Get extends OnTenant {
        @Override
        int run(AdminClient client) {
            return show(expect(client.send("GET", path(), null), 200));
        }
    }

    /**
     * {@code latchkey tenants defaults set TENANT …}: reads the defaults, changes the fields given, and puts all four
     * back with {@code If-Match} (the flag's version, else the one read), so fields not named are kept and a change
     * made in between fails with exit 4 instead of being overwritten.
     */
    @Command(name = "set", description = "Change a tenant's default rate limit or quota (root and latchkey:admin "
            + "only); the other defaults are kept. Fails with exit 4 if the defaults changed since they were read "
            + "(or since --if-match).")
    static final class Set extends OnTenant {
        @Option(names = "--rate-limit", paramLabel = "LIMIT/PERIOD_SECONDS", converter = LimitSpecs.RateLimit.class,
                description = "At most LIMIT requests per PERIOD seconds (or 30s, 1m, 1h, 1d), e.g. 100/60.")
        @Nullable ObjectNode rateLimit;

        @Option(names = "--no-rate-limit", description = "No default rate limit.")
        boolean noRateLimit;

        @Option(names = "--quota", paramLabel = "LIMIT/day|month|none", converter = LimitSpecs.DefaultQuota.class,
                description = "A default quota, e.g. 10000/day; each key keeps its own balance under it.")
        @Nullable ObjectNode quota;

        @Option(names = "--no-quota", description = "No default quota.")
        boolean noQuota;

        @Option(names = "--if-match", paramLabel = "VERSION", description = "Change only if the defaults are still at "
                + "this version (a number or the ETag; default: the version just read).")
        @Nullable String ifMatch;

        @Override
        int run(AdminClient client) {
            ObjectNode changes = AdminClient.JSON.createObjectNode();
            KeyUpdate.limit(changes, "rate_limit", rateLimit, noRateLimit, "--rate-limit");
            KeyUpdate.limit(changes, "quota", quota, noQuota, "--quota");
            if (changes.isEmpty()) {
                throw new CliException(ExitCodes.USAGE, "nothing to change: give --rate-limit, --no-rate-limit, "
                        + "--quota or --no-quota");
            }
            JsonNode current = expect(client.send("GET", path(), null), 200).body();
            ObjectNode body = AdminClient.JSON.createObjectNode();
            body.set("rate_limit", spec(current.path("rate_limit"), "limit", "period_seconds"));
            body.set("quota", spec(current.path("quota"), "limit", "period"));
            body.set("webhook_config", current.path("webhook_config").deepCopy());
            body.set("storage_config", current.path("storage_config").deepCopy());
            body.setAll(changes);
            String version = ifMatch != null ? ifMatch : current.path("version").asText();
            return show(expect(client.send("PUT", path(), body, KeyCommands.ifMatchHeader(version)), 200));
        }

        /** The fields a body takes of an answer's object, or null. */
        private static JsonNode spec(JsonNode answered, String... fields) {
            if (!answered.isObject()) {
                return AdminClient.JSON.nullNode();
            }
            ObjectNode o = AdminClient.JSON.createObjectNode();
            for (String f : fields) {
                o.set(f, answered.path(f).deepCopy());
            }
            return o;
        }
    }
}
