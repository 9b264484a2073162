package dev.latchkey.samples.quickstart;

import java.net.URI;
import org.jspecify.annotations.Nullable;

/**
 * The curl walkthrough the quickstart prints: create a key, call the app, rotate, revoke. Every line is a bash
 * command that works when pasted in order (it needs only curl, grep and cut); the quickstart's tests run it.
 */
final class Walkthrough {

    private Walkthrough() {
    }

    /**
     * Renders the walkthrough.
     *
     * @param generatedToken the root admin token when the quickstart generated it (printed here, and only here),
     *                       or {@code null} when the user set {@code LATCHKEY_ADMIN_TOKEN}
     */
    static String render(URI admin, URI app, @Nullable String generatedToken) {
        String tokenLine = generatedToken != null
                ? "ADMIN_TOKEN=" + generatedToken + "\n"
                : "ADMIN_TOKEN=\"$LATCHKEY_ADMIN_TOKEN\"   # the token you started the quickstart with\n";
        String tokenNote = generatedToken != null
                ? "# LATCHKEY_ADMIN_TOKEN is not set, so this run generated the root admin token below (shown only here).\n"
                : "";
        return """
                Walkthrough: paste these commands, in order, into a bash shell (they need curl, grep and cut).

                # 1. Where the admin service and the demo app listen, and the root admin token.
                %sADMIN=%s
                APP=%s
                %s
                # 2. Create a key that may read reports. The answer carries its token, this once.
                KEY=$(curl -s "$ADMIN/v1/keys" -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' -d '{"name":"quickstart demo","scopes":["reports:read"]}')
                TOKEN=$(echo "$KEY" | grep -o '"token":"[^"]*"' | cut -d'"' -f4)
                KEY_ID=$(echo "$KEY" | grep -o '"id":"[^"]*"' | head -n 1 | cut -d'"' -f4); echo "created key $KEY_ID"

                # 3. Call the app: 200 with the key (it sees who is calling), 401 without one,
                #    200 for GET /reports (reports:read), 403 for POST /reports (needs reports:write).
                curl -s -w '  -> %%{http_code}\\n' "$APP/hello" -H "Authorization: Bearer $TOKEN"
                curl -s -w '  -> %%{http_code}\\n' "$APP/hello"
                curl -s -w '  -> %%{http_code}\\n' "$APP/reports" -H "X-API-Key: $TOKEN"
                curl -s -w '  -> %%{http_code}\\n' -X POST "$APP/reports" -H "X-API-Key: $TOKEN"

                # 4. Rotate: a new token; the old one keeps working for the grace window (6 hours by default).
                NEW_TOKEN=$(curl -s -X POST "$ADMIN/v1/keys/$KEY_ID/rotate" -H "Authorization: Bearer $ADMIN_TOKEN" | grep -o '"token":"[^"]*"' | cut -d'"' -f4)
                curl -s -w '  -> %%{http_code}\\n' "$APP/hello" -H "Authorization: Bearer $NEW_TOKEN"
                curl -s -w '  -> %%{http_code}\\n' "$APP/hello" -H "Authorization: Bearer $TOKEN"

                # 5. Revoke: delete the key (204); both of its tokens stop working at once (401).
                curl -s -w '%%{http_code}\\n' -X DELETE "$ADMIN/v1/keys/$KEY_ID" -H "Authorization: Bearer $ADMIN_TOKEN"
                curl -s -w '  -> %%{http_code}\\n' "$APP/hello" -H "Authorization: Bearer $NEW_TOKEN"
                curl -s -w '  -> %%{http_code}\\n' "$APP/hello" -H "Authorization: Bearer $TOKEN"
                """.formatted(tokenNote, admin, app, tokenLine);
    }
}
