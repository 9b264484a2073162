package dev.latchkey.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.internal.IpAddresses;
import inet.ipaddr.IPAddress;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Tests for {@link ClientAddresses}. */
class ClientAddressesTest {

    private final ClientAddresses trusting = ClientAddresses.parse("10.0.0.0/8, 2001:db8::/32");
    private final ClientAddresses none = ClientAddresses.parse("");

    private @Nullable String client(ClientAddresses c, String peer, List<String> forwarded, List<String> xff) {
        IPAddress a = c.clientOf(peer, forwarded.iterator(), xff.iterator());
        return a == null ? null : IpAddresses.canonical(a);
    }

    @Test
    void untrustedPeer_isTheClient_whateverItForwards() {
        assertThat(client(none, "198.51.100.9", List.of("for=1.2.3.4"), List.of("1.2.3.4"))).isEqualTo("198.51.100.9");
        assertThat(client(trusting, "198.51.100.9", List.of(), List.of("1.2.3.4"))).isEqualTo("198.51.100.9");
    }

    @Test
    void trustedPeer_rightMostUntrustedHopIsTheClient() {
        assertThat(client(trusting, "10.0.0.1", List.of(), List.of("1.1.1.1, 2.2.2.2, 10.0.0.7"))).isEqualTo("2.2.2.2");
        assertThat(client(trusting, "10.0.0.1", List.of(), List.of("1.1.1.1", "10.0.0.7"))).isEqualTo("1.1.1.1");
        assertThat(client(trusting, "10.0.0.1", List.of(), List.of())).isEqualTo("10.0.0.1");
        assertThat(client(trusting, "10.0.0.1", List.of(), List.of("10.1.1.1"))).isEqualTo("10.1.1.1");
        assertThat(client(trusting, "10.0.0.1", List.of(), List.of("1.1.1.1, unknown"))).isNull();
    }

    @Test
    void forwarded_winsAndIsParsedWithQuotesPortsAndBrackets() {
        assertThat(client(trusting, "10.0.0.1", List.of("for=\"[2001:db9::1]:4711\";proto=https, for=10.0.0.5"),
                List.of("3.3.3.3"))).isEqualTo("2001:db9::1");
        assertThat(client(trusting, "10.0.0.1", List.of("for=\"4.4.4.4:80\""), List.of())).isEqualTo("4.4.4.4");
        assertThat(client(trusting, "10.0.0.1", List.of("for=_hidden"), List.of("3.3.3.3"))).isNull();
        assertThat(client(trusting, "10.0.0.1", List.of("proto=https"), List.of())).isNull();
    }

    @Test
    void peer_withBracketsOrZoneIsParsed() {
        assertThat(client(none, "[::1]", List.of(), List.of())).isEqualTo("::1");
        assertThat(client(none, "0:0:0:0:0:0:0:1", List.of(), List.of())).isEqualTo("::1");
        assertThat(client(none, "fe80::1%eth0", List.of(), List.of())).isEqualTo("fe80::1");
    }

    @Test
    void ipv4MappedPeer_isReadAsIpv4_forTrustAndAsTheClient() {
        assertThat(client(trusting, "::ffff:10.0.0.1", List.of(), List.of("198.51.100.4"))).isEqualTo("198.51.100.4");
        assertThat(client(trusting, "[::ffff:10.0.0.1]:8443", List.of("for=\"[::ffff:198.51.100.5]\""), List.of()))
                .isEqualTo("198.51.100.5");
        assertThat(client(none, "::ffff:203.0.113.9", List.of(), List.of("1.2.3.4"))).isEqualTo("203.0.113.9");
    }

    @Test
    void forwarded_quotedIpv6WithPort_obfuscatedAndUnknown() {
        assertThat(client(trusting, "10.0.0.1", List.of("for=\"[2001:db9::1]:4711\""), List.of()))
                .isEqualTo("2001:db9::1");
        assertThat(client(trusting, "10.0.0.1", List.of("for=unknown"), List.of("3.3.3.3"))).isNull();
        assertThat(client(trusting, "10.0.0.1", List.of("For=\"_gazonk\", for=10.0.0.2"), List.of())).isNull();
        // a spoofed left-most entry never wins over the right-most untrusted one
        assertThat(client(trusting, "10.0.0.1", List.of("for=1.1.1.1, for=5.5.5.5;by=10.0.0.1"), List.of()))
                .isEqualTo("5.5.5.5");
    }
}
