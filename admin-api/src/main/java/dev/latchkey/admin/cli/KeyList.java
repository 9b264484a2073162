package dev.latchkey.admin.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code latchkey keys list}: {@code GET /v1/keys}, newest first, masked. */
@Command(name = "list", description = "List keys, newest first (tokens are never listed, only hints).")
final class KeyList extends ApiCommand {

    @Option(names = "--tenant", paramLabel = "TENANT_ID", description = "Only this tenant's keys.")
    @Nullable String tenant;

    @Option(names = "--status", paramLabel = "STATUS", description = "active, inactive, blocked or expired.")
    @Nullable String status;

    @Option(names = "--type", paramLabel = "TYPE", description = "standard or trial.")
    @Nullable String type;

    @Option(names = "--environment", paramLabel = "ENV", description = "live or test.")
    @Nullable String environment;

    @Option(names = "--offset", description = "Keys to skip (default 0).")
    @Nullable Long offset;

    @Option(names = "--limit", description = "Page size (default 20, at most 500).")
    @Nullable Long limit;

    @Override
    int run(AdminClient client) {
        StringBuilder q = new StringBuilder();
        param(q, "tenant_id", tenant);
        param(q, "status", status);
        param(q, "type", type);
        param(q, "environment", environment);
        param(q, "offset", offset == null ? null : offset.toString());
        param(q, "limit", limit == null ? null : limit.toString());
        JsonNode page = expect(client.send("GET", "/v1/keys" + q, null), 200).body();
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode k : page.path("keys")) {
            rows.add(List.of(k.path("id").asText(), k.path("name").asText(), k.path("tenant_id").asText(),
                    k.path("environment").asText(), k.path("type").asText(), k.path("status").asText(),
                    Tables.text(k.path("scopes")), k.path("hint").asText(), Tables.text(k.path("last_used_at"))));
        }
        String table = Tables.table(List.of("ID", "NAME", "TENANT", "ENV", "TYPE", "STATUS", "SCOPES", "HINT",
                "LAST USED"), rows);
        long from = page.path("offset").asLong();
        String footer = rows.isEmpty() ? "no keys (total " + page.path("total").asLong() + ")"
                : "keys " + (from + 1) + "-" + (from + rows.size()) + " of " + page.path("total").asLong();
        return print(page, table + "\n" + footer);
    }

    private static void param(StringBuilder q, String name, @Nullable String value) {
        if (value != null) {
            q.append(q.length() == 0 ? '?' : '&').append(name).append('=').append(enc(value));
        }
    }
}
