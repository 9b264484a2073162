package dev.latchkey.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.internal.IpAddresses;
import dev.latchkey.core.IpRestriction;
import dev.latchkey.core.RuleStatus;
import dev.latchkey.testkit.Fuzz;
import inet.ipaddr.IPAddress;
import java.math.BigInteger;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/**
 * Seeded generated-input tests of core's CIDR rules ({@link IpAddresses}, {@link IpRestriction}) against a
 * reference written with {@link BigInteger} masks and {@link InetAddress} (#21).
 */
class IpRulesFuzzTest {

    private static BigInteger bits(String address) throws Exception {
        return new BigInteger(1, InetAddress.getByName(address).getAddress());
    }

    private static boolean referenceContains(String network, int prefix, int width, String address) throws Exception {
        BigInteger mask = prefix == 0 ? BigInteger.ZERO
                : BigInteger.ONE.shiftLeft(prefix).subtract(BigInteger.ONE).shiftLeft(width - prefix);
        return bits(network).and(mask).equals(bits(address).and(mask));
    }

    private static String network(String address, int prefix, int width) throws Exception {
        BigInteger mask = prefix == 0 ? BigInteger.ZERO
                : BigInteger.ONE.shiftLeft(prefix).subtract(BigInteger.ONE).shiftLeft(width - prefix);
        byte[] raw = bits(address).and(mask).toByteArray();
        byte[] fixed = new byte[width / 8];
        int copy = Math.min(raw.length, fixed.length);
        System.arraycopy(raw, raw.length - copy, fixed, fixed.length - copy, copy);
        return InetAddress.getByAddress(fixed).getHostAddress();
    }

    @Test
    void cidrRules_containExactlyWhatTheMaskSays_andRoundTripThroughTheirCanonicalText() {
        Fuzz.check(2111L, 1_500, in -> {
            boolean v4 = in.chance(0.5);
            int width = v4 ? 32 : 128;
            int prefix = in.chance(0.2) ? in.oneOf(0, 1, width - 1, width) : in.between(0, width);
            String net = in.record(network(v4 ? in.ipv4() : in.ipv6(), prefix, width));
            String text = in.record(net + "/" + prefix);
            IpRestriction rule = IpRestriction.of("r", text, null, RuleStatus.ACTIVE);
            assertThat(IpRestriction.of("r", rule.value(), null, RuleStatus.ACTIVE).block()).isEqualTo(rule.block());

            String probe = in.chance(0.5) ? (v4 ? in.ipv4() : in.ipv6())
                    : in.record(network(net, Math.max(0, prefix - 1), width)); // near the block's edge
            IPAddress address = IpAddresses.parseAddress(probe);
            assertThat(address).as(probe).isNotNull();
            assertThat(rule.matches(address)).as(text + " contains " + probe)
                    .isEqualTo(referenceContains(net, prefix, width, probe));
            String other = v4 ? in.ipv6() : in.ipv4();
            assertThat(rule.matches(IpAddresses.parseAddress(other))).isFalse();
        });
    }

    @Test
    void blocksWithHostBits_areRefusedWithTheBlockMeant() {
        Fuzz.check(2112L, 1_000, in -> {
            boolean v4 = in.chance(0.5);
            int width = v4 ? 32 : 128;
            int prefix = in.between(1, width - 1);
            String address = v4 ? in.ipv4() : in.ipv6();
            String net = network(address, prefix, width);
            if (!bits(net).equals(bits(address))) {
                assertThatThrownBy(() -> IpAddresses.parseBlock(address + "/" + prefix))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host bits");
            }
        });
    }

    @Test
    void hostileText_isAnAddressABlockOrACleanRefusal() {
        Fuzz.check(2113L, 3_000, in -> {
            String text = in.hostile(24, "1", "0", "255", "256", ".", ":", "::", "/", "/0", "/33", "/129", "ff",
                    "ffff", "%", "*", "-", "0x", "[", "]", "1.2.3.4", "::ffff:", "fe80::1%eth0");
            IPAddress address = IpAddresses.parseAddress(text);
            if (address != null) {
                assertThat(address.isPrefixed()).isFalse();
                assertThat(address.isMultiple()).isFalse();
            }
            try {
                IPAddress block = IpAddresses.parseBlock(text);
                assertThat(block.isIPv4() || block.isIPv6()).isTrue();
                assertThat(IpAddresses.parseBlock(IpAddresses.canonical(block))).isEqualTo(block);
            } catch (IllegalArgumentException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        });
    }
}
