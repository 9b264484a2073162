package dev.latchkey.admin.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The key commands that take only a key id and a few options: get, rotate, status, block, reset, delete, credits.
 */
final class KeyCommands {

    private KeyCommands() {
    }

    /** A command on one key, {@code /v1/keys/{id}}. */
    abstract static class OnKey extends ApiCommand {
        @Parameters(index = "0", paramLabel = "KEY_ID", description = "The key's id.")
        String id = "";

        String path() {
            return "/v1/keys/" + enc(id);
        }
    }

    /** {@code latchkey keys get ID}. */
    @Command(name = "get", description = "Show one key.")
    static final class Get extends OnKey {
        @Override
        int run(AdminClient client) {
            JsonNode key = expect(client.send("GET", path(), null), 200).body();
            return print(key, Tables.key(key));
        }
    }

    /** {@code latchkey keys rotate ID}: a new token; the old one works for the grace window unless forced. */
    @Command(name = "rotate", description = "Issue a new token, printed this once. The old one keeps working for "
            + "the grace window (6 h by default) unless --force.")
    static final class Rotate extends OnKey {
        @Option(names = "--force", description = "End the old token now, on every node.")
        boolean force;

        @Option(names = "--grace-seconds", paramLabel = "SECONDS", description = "How long the old token keeps "
                + "working (0 to 604800; default 21600).")
        @Nullable Long grace;

        @Override
        int run(AdminClient client) {
            ObjectNode body = AdminClient.JSON.createObjectNode().put("force", force);
            if (grace != null) {
                body.put("grace_seconds", grace);
            }
            JsonNode r = expect(client.send("POST", path() + "/rotate", body), 200).body();
            JsonNode key = r.path("key");
            return print(r, Tables.key(key) + "\n\ntoken:  " + r.path("token").asText()
                    + "\n(shown this once: store it now; the old token works until "
                    + Tables.text(key.path("previous_token_expires_at")) + ")");
        }
    }

    /** A status change: {@code PUT /v1/keys/{id}/status}, with an optional reason and {@code If-Match}. */
    abstract static class StatusChange extends OnKey {
        @Option(names = "--reason", description = "Why (up to 200 characters; shown in the key).")
        @Nullable String reason;

        @Option(names = "--if-match", paramLabel = "VERSION", description = "Change only if the key is still at "
                + "this version (a number or the ETag).")
        @Nullable String ifMatch;

        abstract String target();

        @Override
        int run(AdminClient client) {
            ObjectNode body = AdminClient.JSON.createObjectNode().put("status", target());
            KeyCreate.putIf(body, "reason", reason);
            JsonNode key = expect(client.send("PUT", path() + "/status", body, ifMatchHeader(ifMatch)), 200).body();
            return print(key, Tables.key(key));
        }
    }

    /** {@code latchkey keys status ID active|inactive|blocked}. */
    @Command(name = "status", description = "Set a key's status: active, inactive or blocked.")
    static final class Status extends StatusChange {
        @Parameters(index = "1", paramLabel = "STATUS", description = "active, inactive or blocked.")
        String status = "";

        @Override
        String target() {
            return status;
        }
    }

    /** {@code latchkey keys block ID}: status {@code blocked} (platform admins only). */
    @Command(name = "block", description = "Block a key: its tokens stop working at once (platform admins only).")
    static final class Block extends StatusChange {
        @Override
        String target() {
            return "blocked";
        }
    }

    /** {@code latchkey keys reset ID}: a new token now; the old one dies at once. */
    @Command(name = "reset", description = "Replace the token now (the old one dies at once); prints the new "
            + "token this once and the job.")
    static final class Reset extends OnKey {
        @Override
        int run(AdminClient client) {
            JsonNode job = expect(client.send("POST", path() + "/reset", null), 202).body();
            return print(job, "job:    " + job.path("id").asText() + " (" + job.path("status").asText() + ")"
                    + "\nkey:    " + job.path("key_id").asText()
                    + "\n\ntoken:  " + job.path("api_key").asText()
                    + "\n(shown this once: store it now; it cannot be read again)");
        }
    }

    /** {@code latchkey keys delete ID}. */
    @Command(name = "delete", description = "Delete a key: its tokens stop working at once, everywhere.")
    static final class Delete extends OnKey {
        @Override
        int run(AdminClient client) {
            expect(client.send("DELETE", path(), null), 204);
            return print(AdminClient.JSON.createObjectNode().put("id", id).put("deleted", true), "deleted " + id);
        }
    }

    /** {@code latchkey keys credits ID increment|decrement|set AMOUNT}: {@code POST /v1/keys/{id}/credits}. */
    @Command(name = "credits", description = "Change a key's quota balance at once: increment, decrement or set it "
            + "(root and latchkey:admin only; never below 0; the key's version stays).")
    static final class Credits extends OnKey {
        /** The three operations of API.md §8. */
        enum Op { increment, decrement, set }

        @Parameters(index = "1", paramLabel = "OP", description = "increment, decrement or set.")
        Op op = Op.increment;

        @Parameters(index = "2", paramLabel = "AMOUNT", description = "1 to 10^12 units (0 too for set).")
        long amount;

        @Override
        int run(AdminClient client) {
            ObjectNode body = AdminClient.JSON.createObjectNode().put("op", op.name()).put("amount", amount);
            JsonNode r = expect(client.send("POST", path() + "/credits", body), 200).body();
            return print(r, "remaining:   " + Tables.text(r.path("remaining"))
                    + "\nrefills_at:  " + Tables.text(r.path("refills_at")));
        }
    }

    /** The {@code If-Match} header for a version given as a number or an ETag; none when absent. */
    static String[] ifMatchHeader(@Nullable String version) {
        if (version == null || version.isBlank()) {
            return new String[0];
        }
        String v = version.trim();
        return new String[] {"If-Match", v.startsWith("\"") ? v : "\"" + v + "\""};
    }
}
