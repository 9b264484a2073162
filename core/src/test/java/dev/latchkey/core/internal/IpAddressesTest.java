package dev.latchkey.core.internal;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.Credential;
import dev.latchkey.core.IpRestriction;
import dev.latchkey.core.RuleStatus;
import dev.latchkey.core.SecretHasher;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import inet.ipaddr.IPAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tests for {@link IpAddresses} and {@link IpRestriction}: strict parsing, host bits, canonical text, matching. */
class IpAddressesTest {

    @Test
    void parseAddress_ordinaryIpv4AndIpv6() {
        assertThat(IpAddresses.parseAddress("203.0.113.7")).hasToString("203.0.113.7");
        assertThat(IpAddresses.canonical(IpAddresses.parseAddress("2001:DB8:0:0:0:0:0:1"))).isEqualTo("2001:db8::1");
        assertThat(IpAddresses.parseAddress("::1")).isNotNull();
        assertThat(IpAddresses.parseAddress("0.0.0.0")).isNotNull();
    }

    @Test
    void parseAddress_ipv4MappedIpv6_becomesIpv4() {
        IPAddress mapped = IpAddresses.parseAddress("::ffff:203.0.113.7");

        assertThat(mapped).isNotNull();
        assertThat(mapped.isIPv4()).isTrue();
        assertThat(IpAddresses.canonical(mapped)).isEqualTo("203.0.113.7");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "010.0.0.1", "127.1", "0x7f.0.0.1", "1.2.3.4/24",
            "2001:db8::/32", "*", "1.2.3.*", "1.2.3.0-255", " 1.2.3.4", "1.2.3.4 ", "fe80::1%eth0", "localhost",
            "1:2:3:4:5:6:7:8:9", "::g", "1.2.3.4/255.0.0.0"})
    void parseAddress_anythingElse_isNull(String text) {
        assertThat(IpAddresses.parseAddress(text)).isNull();
    }

    @Test
    void parseAddress_nullAndOverlongText_isNull() {
        assertThat(IpAddresses.parseAddress(null)).isNull();
        assertThat(IpAddresses.parseAddress("1".repeat(65))).isNull();
    }

    @Test
    void parseBlock_addressesAndBlocks() {
        assertThat(IpAddresses.canonical(IpAddresses.parseBlock("10.0.0.0/8"))).isEqualTo("10.0.0.0/8");
        assertThat(IpAddresses.canonical(IpAddresses.parseBlock("203.0.113.7"))).isEqualTo("203.0.113.7");
        assertThat(IpAddresses.canonical(IpAddresses.parseBlock("203.0.113.7/32"))).isEqualTo("203.0.113.7");
        assertThat(IpAddresses.canonical(IpAddresses.parseBlock("2001:db8::/32"))).isEqualTo("2001:db8::/32");
        assertThat(IpAddresses.canonical(IpAddresses.parseBlock("2001:db8::1/128"))).isEqualTo("2001:db8::1");
        assertThat(IpAddresses.canonical(IpAddresses.parseBlock("0.0.0.0/0"))).isEqualTo("0.0.0.0/0");
        assertThat(IpAddresses.canonical(IpAddresses.parseBlock("::/0"))).isEqualTo("::/0");
    }

    @Test
    void parseBlock_hostBitsSet_isRefusedWithTheBlockMeant() {
        assertThatThrownBy(() -> IpAddresses.parseBlock("10.0.0.1/8"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host bits").hasMessageContaining("10.0.0.0/8");
        assertThatThrownBy(() -> IpAddresses.parseBlock("192.168.1.77/24"))
                .hasMessageContaining("192.168.1.0/24");
        assertThatThrownBy(() -> IpAddresses.parseBlock("2001:db8::1/32"))
                .hasMessageContaining("2001:db8::/32");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0.0/33", "2001:db8::/129", "10.0.0.0/", "/8", "10.0.0.0/08", "10.0.0.0/008", "2001:db8::/032", "garbage",
            "10.0.0.*", "10.0.0.0-10.0.0.255", "10.0.0.0/255.0.0.0"})
    void parseBlock_malformed_isRefused(String text) {
        assertThatThrownBy(() -> IpAddresses.parseBlock(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be");
    }

    @Test
    void restriction_matchesAddressesInsideItsBlockOnly() {
        IpRestriction v4 = IpRestriction.of("id1", "203.0.113.0/24", null, RuleStatus.ACTIVE);
        IpRestriction host = IpRestriction.of("id2", "198.51.100.7", null, RuleStatus.ACTIVE);
        IpRestriction v6 = IpRestriction.of("id3", "2001:db8::/32", null, RuleStatus.ACTIVE);

        assertThat(v4.matches(IpAddresses.parseAddress("203.0.113.0"))).isTrue();
        assertThat(v4.matches(IpAddresses.parseAddress("203.0.113.255"))).isTrue();
        assertThat(v4.matches(IpAddresses.parseAddress("203.0.114.0"))).isFalse();
        assertThat(v4.matches(IpAddresses.parseAddress("::ffff:203.0.113.9"))).isTrue();
        assertThat(host.matches(IpAddresses.parseAddress("198.51.100.7"))).isTrue();
        assertThat(host.matches(IpAddresses.parseAddress("198.51.100.8"))).isFalse();
        assertThat(v6.matches(IpAddresses.parseAddress("2001:db8:ffff::1"))).isTrue();
        assertThat(v6.matches(IpAddresses.parseAddress("2001:db9::1"))).isFalse();
        assertThat(v6.matches(IpAddresses.parseAddress("203.0.113.9"))).isFalse();
        assertThat(v4.matches(IpAddresses.parseAddress("::cb00:7109"))).isFalse();
    }

    @Test
    void apiKey_allowsAddress_onlyActiveRulesCount() {
        ApiKey.Builder b = ApiKey.builder().id(Ids.next()).name("k").createdAt(java.time.Instant.EPOCH)
                .current(new Credential(SecretHasher.sha256().hash("x"), "…", false));
        IpRestriction active = IpRestriction.of("a", "203.0.113.0/24", null, RuleStatus.ACTIVE);
        IpRestriction inactive = IpRestriction.of("b", "198.51.100.0/24", null, RuleStatus.INACTIVE);
        IPAddress inside = IpAddresses.parseAddress("203.0.113.5");
        IPAddress elsewhere = IpAddresses.parseAddress("198.51.100.5");

        ApiKey open = b.ipRestrictions(List.of()).build();
        ApiKey onlyInactive = b.ipRestrictions(List.of(inactive)).build();
        ApiKey restricted = b.ipRestrictions(List.of(active, inactive)).build();

        assertThat(open.allowsAddress(null)).isTrue();
        assertThat(onlyInactive.hasActiveIpRules()).isFalse();
        assertThat(onlyInactive.allowsAddress(elsewhere)).isTrue();
        assertThat(onlyInactive.allowsAddress(null)).isTrue();
        assertThat(restricted.allowsAddress(inside)).isTrue();
        assertThat(restricted.allowsAddress(elsewhere)).isFalse();
        assertThat(restricted.allowsAddress(null)).isFalse();
    }

    @Test
    void parseAddress_ofATextSeenBefore_returnsTheSameAddress_andRefusalsAreNotRemembered() {
        IPAddress first = IpAddresses.parseAddress(new String("203.0.113.77"));
        assertThat(IpAddresses.parseAddress(new String("203.0.113.77"))).isSameAs(first);
        assertThat(IpAddresses.parseAddress("::ffff:203.0.113.77")).isEqualTo(first); // mapped: the IPv4 address
        assertThat(IpAddresses.parseAddress("203.0.113.077")).isNull();
        assertThat(IpAddresses.parseAddress("203.0.113.077")).isNull();
        assertThat(IpAddresses.parseAddress("203.0.113.0/24")).isNull();
    }

    @Test
    void addressMemo_keepsOnlyWhatParsed_andACollisionReplacesTheSlot() {
        AddressMemo memo = new AddressMemo();
        java.util.concurrent.atomic.AtomicInteger parses = new java.util.concurrent.atomic.AtomicInteger();
        java.util.function.Function<String, IPAddress> parser = t -> {
            parses.incrementAndGet();
            return t.startsWith("x") ? null : new inet.ipaddr.IPAddressString(t).getAddress();
        };
        for (int i = 0; i < 3; i++) {
            assertThat(memo.get("198.51.100.1", parser)).hasToString("198.51.100.1");
            assertThat(memo.get("x", parser)).isNull();
        }
        assertThat(parses).hasValue(4); // the address once, the refusal each time
        for (int i = 0; i < 4 * AddressMemo.SLOTS; i++) {
            String text = "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
            assertThat(memo.get(text, parser)).hasToString(text);
        }
    }

    @Test
    void parseBlock_remembersWhatParsed_andStillRefusesWithTheSameMessage() {
        IPAddress first = IpAddresses.parseBlock(new String("198.51.100.0/24"));
        assertThat(IpAddresses.parseBlock(new String("198.51.100.0/24"))).isSameAs(first);
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> IpAddresses.parseBlock("10.0.0.1/8"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("did you mean 10.0.0.0/8?");
        }
        assertThatThrownBy(() -> IpAddresses.parseBlock(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
