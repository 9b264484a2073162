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
 * Debian's HAProxy (2.6 with Lua 5.3) with {@code src/test/resources/gateways/haproxy.cfg} and the Lua action shipped
 * as {@code gateway/haproxy/latchkey.lua}, which asks {@code /v1/authorize} through {@code core.httpclient()}.
 */
class HaproxyGatewayIT extends AbstractGatewayProcessIT {

    @Override
    GatewayProcess startGateway(int latchkeyPort, int appPort) throws Exception {
        String haproxy = GatewayProcess.binary("haproxy");
        Path dir = GatewayProcess.workDir("haproxy");
        int port = GatewayProcess.freePort();
        Path lua = Path.of("haproxy", "latchkey.lua").toAbsolutePath();
        assertThat(lua).exists();
        Map<String, String> r = new LinkedHashMap<>();
        r.put("127.0.0.1:8090", "127.0.0.1:" + latchkeyPort);
        r.put("127.0.0.1:9000", "127.0.0.1:" + appPort);
        r.put("127.0.0.1:8000", "127.0.0.1:" + port);
        r.put("/etc/haproxy/latchkey.lua", lua.toString());
        Path conf = dir.resolve("haproxy.cfg");
        Files.writeString(conf, GatewayProcess.config("haproxy.cfg", r));
        return GatewayProcess.start(List.of(haproxy, "-db", "-f", conf.toString()), Map.of(), dir, port);
    }

    @Test
    void denial_reachesTheClientAsAProblemBody() throws Exception {
        RawHttp.Reply r = send("127.0.0.2", "GET", "/reports/1", "X-Request-Id: haproxy-1");
        assertThat(r.status()).as(gateway.log()).isEqualTo(401);
        assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(new ObjectMapper().readTree(r.body()).get("instance").asText()).isEqualTo("/reports/1");
        assertThat(r.header("X-Request-Id")).isEqualTo("haproxy-1");
    }
}
