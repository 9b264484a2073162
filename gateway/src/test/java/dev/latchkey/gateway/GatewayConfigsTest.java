package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gateway configs that the tests run are the ones users read: {@code samples/gateways/} holds identical copies,
 * and {@code gateway/README.md} shows each one (and the Lua action) verbatim.
 */
class GatewayConfigsTest {

    @ParameterizedTest
    @ValueSource(strings = {"nginx.conf", "Caddyfile", "haproxy.cfg"})
    void config_isTheSameInTestsSamplesAndReadme(String file) throws Exception {
        String tested = Files.readString(Path.of("src", "test", "resources", "gateways", file));
        assertThat(Files.readString(Path.of("..", "samples", "gateways", file))).isEqualTo(tested);
        assertThat(Files.readString(Path.of("README.md"))).contains(tested);
    }

    @ParameterizedTest
    @ValueSource(strings = {"haproxy/latchkey.lua"})
    void luaAction_isShownInTheReadme(String file) throws Exception {
        assertThat(Files.readString(Path.of("README.md"))).contains(Files.readString(Path.of(file)));
    }
}
