package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.admin.IssuedKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Debian's nginx (1.22, {@code auth_request}) with {@code src/test/resources/gateways/nginx.conf}: its subrequest is
 * always a GET, so Latchkey reads {@code X-Original-Method} and {@code X-Original-URI}; denials other than 401 and
 * 403 come back as 403 + {@code X-Latchkey-Status} and the config's {@code error_page} turns them back.
 */
class NginxGatewayIT extends AbstractGatewayProcessIT {

    @Override
    GatewayProcess startGateway(int latchkeyPort, int appPort) throws Exception {
        String nginx = GatewayProcess.binary("nginx");
        Path dir = GatewayProcess.workDir("nginx");
        int port = GatewayProcess.freePort();
        Map<String, String> r = new LinkedHashMap<>();
        r.put("127.0.0.1:8090", "127.0.0.1:" + latchkeyPort);
        r.put("127.0.0.1:9000", "127.0.0.1:" + appPort);
        r.put("127.0.0.1:8000", "127.0.0.1:" + port);
        r.put("/tmp/latchkey-nginx", dir.toString());
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, GatewayProcess.config("nginx.conf", r));
        return GatewayProcess.start(List.of(nginx, "-p", dir.toString(), "-e", dir.resolve("error.log").toString(),
                "-c", conf.toString()), Map.of(), dir, port);
    }

    /** nginx cannot drop headers by prefix: the config drops the six names Latchkey sets. */
    @Override
    boolean dropsEveryLatchkeyHeader() {
        return false;
    }

    @Test
    void storeDown_isA503ForTheClient_notA500() throws Exception {
        IssuedKey k = Fixtures.key(manager, "reports:read");
        store.down = true;
        RawHttp.Reply r = send("127.0.0.2", "GET", "/reports/1", "Authorization: Bearer " + k.token());
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.has("X-Latchkey-Status")).isFalse();
    }

    @Test // the gateway service's own 400 for too many header fields went out plain, and nginx made it a 500
    void moreHeaderFieldsThanTheGatewayServiceTakes_isA400ForTheClient_notA500() throws Exception {
        IssuedKey k = Fixtures.key(manager, "reports:read");
        String[] headers = new String[121];
        headers[0] = "Authorization: Bearer " + k.token();
        for (int i = 1; i < headers.length; i++) {
            headers[i] = "X-H" + i + ": v";
        }
        RawHttp.Reply r = send("127.0.0.2", "GET", "/reports/1", headers);
        assertThat(r.status()).as(gateway.log()).isEqualTo(400);
    }

    @Test
    void refusedPath_isA400ForTheClient() throws Exception {
        IssuedKey k = Fixtures.key(manager, "reports:read");
        RawHttp.Reply r = send("127.0.0.2", "GET", "/reports/%2F..%2Fadmin", "Authorization: Bearer " + k.token());
        assertThat(r.status()).as(gateway.log()).isEqualTo(400);
    }
}
