package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tests for {@link GatewayMain}: the listening line, and a clean stop. */
class GatewayMainTest {

    @Test
    void start_printsTheListeningLine_andServes() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GatewayMain.Running running = GatewayMain.start(Map.of("LATCHKEY_GATEWAY_PORT", "0"),
                new PrintStream(out, true, StandardCharsets.UTF_8))) {
            int port = running.server().port();
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("gateway listening on http://127.0.0.1:"
                    + port + System.lineSeparator());
            RawHttp.Reply health = RawHttp.send(port, "GET", "/health");
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"up\",\"store\":\"memory\"}");
        }
    }
}
