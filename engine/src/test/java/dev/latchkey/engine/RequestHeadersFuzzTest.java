package dev.latchkey.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.internal.IpAddresses;
import dev.latchkey.testkit.Fuzz;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Seeded generated-input tests of what the engine reads from request headers (#21): {@code Authorization} (the
 * token reader) and the client address from {@code X-Forwarded-For} and RFC 7239 {@code Forwarded}.
 */
class RequestHeadersFuzzTest {

    private static final ClientAddresses TRUSTING = ClientAddresses.parse("10.0.0.0/8, fd00::/8");
    private static final String TOKEN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-_/=";

    private static @Nullable String client(String peer, List<String> forwarded, List<String> xff) {
        IPAddress a = TRUSTING.clientOf(peer, forwarded.iterator(), xff.iterator());
        return a == null ? null : IpAddresses.canonical(a);
    }

    private static String canonical(String address) {
        return IpAddresses.canonical(IpAddresses.parseAddress(address));
    }

    private static String untrusted(Fuzz in) {
        while (true) {
            String a = in.chance(0.5) ? in.ipv4() : in.ipv6();
            if (!a.startsWith("10.") && !a.startsWith("fd") && !canonical(a).startsWith("::ffff:")) {
                return a;
            }
        }
    }

    private static String proxy(Fuzz in) {
        return in.chance(0.5) ? "10." + in.between(0, 255) + "." + in.between(0, 255) + "." + in.between(0, 255)
                : String.format("fd%02x::%x", in.between(0, 255), in.between(1, 0xffff));
    }

    /** One hop as a proxy writes it in X-Forwarded-For: bare, with a port, IPv6 in brackets. */
    private static String xffHop(Fuzz in, String address) {
        boolean v6 = address.contains(":");
        return switch (in.between(0, 2)) {
            case 0 -> address;
            case 1 -> v6 ? "[" + address + "]" : address;
            default -> (v6 ? "[" + address + "]" : address) + ":" + in.between(1, 65535);
        };
    }

    /** One Forwarded element: for= quoted or not (quotes required for IPv6 and ports), other pairs around it. */
    private static String forwardedElement(Fuzz in, String address) {
        boolean v6 = address.contains(":");
        String value = v6 ? "\"[" + address + "]" + (in.chance(0.5) ? ":" + in.between(1, 65535) : "") + "\""
                : in.chance(0.5) ? address : "\"" + address + (in.chance(0.5) ? ":" + in.between(1, 65535) : "") + "\"";
        String f = in.oneOf("for", "For", "FOR") + "=" + value;
        List<String> pairs = new ArrayList<>(List.of(f));
        if (in.chance(0.5)) {
            pairs.add(in.between(0, pairs.size()), "proto=" + in.oneOf("https", "http"));
        }
        if (in.chance(0.3)) {
            pairs.add(in.between(0, pairs.size()), "by=\"[fd00::1];x,y\"");
        }
        return String.join(in.oneOf(";", "; "), pairs);
    }

    /** Splits hops into 1 to 3 header lines joined by commas (as proxies append them). */
    private static List<String> lines(Fuzz in, List<String> hops) {
        List<String> lines = new ArrayList<>();
        int i = 0;
        while (i < hops.size()) {
            int take = in.between(1, hops.size() - i);
            lines.add(String.join(in.oneOf(",", ", ", " ,  "), hops.subList(i, i + take)));
            i += take;
        }
        return lines;
    }

    @Test
    void behindTrustedProxies_theClientIsTheRightMostUntrustedHop_whateverTheClientSpoofedToTheLeft() {
        Fuzz.check(2121L, 1_000, in -> {
            String realClient = untrusted(in);
            List<String> spoofed = new ArrayList<>();
            for (int i = in.between(0, 3); i > 0; i--) {
                spoofed.add(in.chance(0.7) ? untrusted(in) : in.chance(0.5) ? proxy(in) : "unknown");
            }
            List<String> proxies = new ArrayList<>();
            for (int i = in.between(0, 3); i > 0; i--) {
                proxies.add(proxy(in));
            }
            List<String> chain = new ArrayList<>(spoofed);
            chain.add(realClient);
            chain.addAll(proxies);
            String peer = proxy(in);
            boolean useForwarded = in.chance(0.5);
            List<String> hops = new ArrayList<>();
            for (String a : chain) {
                hops.add(useForwarded ? forwardedElement(in, a) : xffHop(in, a));
            }
            List<String> forwarded = useForwarded ? in.record(lines(in, hops)) : List.of();
            // When Forwarded is present X-Forwarded-For is ignored: fill it with a lie.
            List<String> xff = useForwarded ? List.of(untrusted(in)) : in.record(lines(in, hops));
            assertThat(client(peer, forwarded, xff)).isEqualTo(canonical(realClient));
        });
    }

    @Test
    void hostileForwardingHeaders_neverThrow_andAnUntrustedPeerIsAlwaysTheClient() {
        Fuzz.check(2122L, 1_500, in -> {
            List<String> forwarded = new ArrayList<>();
            List<String> xff = new ArrayList<>();
            for (int i = in.between(0, 2); i > 0; i--) {
                forwarded.add(in.hostile(40, "for=", "\"", "[", "]", ";", ",", "10.0.0.1", "::1", ":80", "\\",
                        "by=", "unknown", "_hidden"));
            }
            for (int i = in.between(0, 2); i > 0; i--) {
                xff.add(in.hostile(40, ",", " ", "10.1.2.3", "1.2.3.4", "[", "]", ":443", "fd00::9", "unknown"));
            }
            String stranger = untrusted(in);
            assertThat(client(stranger, forwarded, xff)).isEqualTo(canonical(stranger));
            String answer = client(proxy(in), forwarded, xff);
            if (answer != null) {
                assertThat(IpAddresses.parseAddress(answer)).isNotNull();
            }
            String peer = in.hostile(12, "10.0.0.1", ":", "[", "]", "%", "80");
            ClientAddresses.parseHost(peer); // any text: an address or null, never an exception
            TRUSTING.clientOf(peer, forwarded.iterator(), xff.iterator());
        });
    }

    @Test
    void authorization_bearerOrTokenInAnyCase_givesTheCredential_andNothingElseDoes() {
        Fuzz.check(2123L, 2_000, in -> {
            String token = in.string(TOKEN_CHARS, 130);
            String scheme = in.oneOf("Bearer", "Token", "bearer", "TOKEN", "bEaReR", "Basic", "Bearerx", "Toke",
                    "Digest", "");
            String header = in.record(in.oneOf("", " ", "\t") + scheme + in.oneOf(" ", "  ", "\t", "")
                    + token + in.oneOf("", " ", "\t"));
            String credential = BearerCredentials.of(header);
            boolean ours = scheme.equalsIgnoreCase("bearer") || scheme.equalsIgnoreCase("token");
            String stripped = header.strip();
            boolean schemeAlone = stripped.length() == scheme.length()
                    || stripped.charAt(scheme.length()) == ' ' || stripped.charAt(scheme.length()) == '\t';
            if (ours && schemeAlone) {
                assertThat(credential).isEqualTo(token);
            } else {
                assertThat(credential).isNull();
            }

            String hostile = in.hostile(60, "Bearer ", "Token ", "bearer", " ", "\t", ",", "=", "lk_live_");
            String c = BearerCredentials.of(hostile);
            if (c != null) {
                String lower = hostile.strip().toLowerCase(Locale.ROOT);
                assertThat(lower.startsWith("bearer") || lower.startsWith("token")).isTrue();
                assertThat(c).isEqualTo(c.strip());
                assertThat(hostile).contains(c);
            }
        });
    }
}
