package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Debian's Caddy (2.6, {@code forward_auth}) with {@code src/test/resources/gateways/Caddyfile}: it sends the
 * client's headers with {@code X-Forwarded-Method}, {@code -Uri}, {@code -For}, {@code -Host} and {@code -Proto},
 * and passes Latchkey's denials (status, headers, problem body) on to the client.
 */
class CaddyGatewayIT extends AbstractGatewayProcessIT {

    @Override
    GatewayProcess startGateway(int latchkeyPort, int appPort) throws Exception {
        String caddy = GatewayProcess.binary("caddy");
        Path dir = GatewayProcess.workDir("caddy");
        int port = GatewayProcess.freePort();
        Map<String, String> r = new LinkedHashMap<>();
        r.put("127.0.0.1:8090", "127.0.0.1:" + latchkeyPort);
        r.put("127.0.0.1:9000", "127.0.0.1:" + appPort);
        r.put("127.0.0.1:8000", "127.0.0.1:" + port);
        Path conf = dir.resolve("Caddyfile");
        Files.writeString(conf, GatewayProcess.config("Caddyfile", r));
        return GatewayProcess.start(List.of(caddy, "run", "--adapter", "caddyfile", "--config", conf.toString()),
                Map.of("HOME", dir.toString(), "XDG_DATA_HOME", dir.resolve("data").toString(),
                        "XDG_CONFIG_HOME", dir.resolve("config").toString()), dir, port);
    }

    @Test
    void denial_reachesTheClientAsAProblemBody() throws Exception {
        RawHttp.Reply r = send("127.0.0.2", "GET", "/reports/1", "X-Request-Id: caddy-1");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(new ObjectMapper().readTree(r.body()).get("instance").asText()).isEqualTo("/reports/1");
        assertThat(r.header("X-Request-Id")).isEqualTo("caddy-1");
    }
}
