package dev.latchkey.admin.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Which addresses a webhook may reach (API.md §10): never loopback, unspecified, private, shared (CGNAT),
 * link-local (which holds the cloud metadata service, 169.254.169.254), unique-local IPv6 (which holds EC2's
 * fd00:ec2::254), multicast or broadcast, unless the service runs with {@code LATCHKEY_WEBHOOK_ALLOW_PRIVATE=true}.
 * A URL is checked when a config is written ({@link #urlProblem}) and each address again when an attempt connects
 * ({@link #blocked}), so a name that resolves to such an address fails even if it resolved elsewhere before.
 */
public final class AddressPolicy {

    /** The environment variable that allows private receivers (tests, private networks). */
    public static final String ALLOW_PRIVATE_ENV = "LATCHKEY_WEBHOOK_ALLOW_PRIVATE";
    /** The {@code last_error} of an attempt refused for its address. */
    public static final String BLOCKED = "blocked_address";

    private static final Pattern IPV4_LITERAL = Pattern.compile("[0-9.]+");

    private AddressPolicy() {
    }

    /** Returns whether a webhook must not connect to {@code address}. */
    public static boolean blocked(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return true; // fc00::/7 unique local
            }
            if (isMappedV4(b)) {
                return blockedV4(new byte[] {b[12], b[13], b[14], b[15]});
            }
            return false;
        }
        return address instanceof Inet4Address && blockedV4(b);
    }

    private static boolean isMappedV4(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0);
    }

    private static boolean blockedV4(byte[] b) {
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        return first == 0 || first == 10 || first == 127 || (first == 100 && second >= 64 && second < 128)
                || (first == 169 && second == 254) || (first == 172 && second >= 16 && second < 32)
                || (first == 192 && second == 168) || (first == 192 && second == 0 && (b[2] & 0xff) == 0)
                || (first == 198 && (second == 18 || second == 19)) || first >= 224;
    }

    /**
     * Returns why {@code url} cannot be a webhook URL, or {@code null} when it can: it must be an absolute
     * {@code http://} or {@code https://} URL with a host, and, unless {@code allowPrivate}, its host must not be
     * {@code localhost} or a blocked IP literal. Names are not resolved here (they are checked on every connect).
     */
    public static @Nullable String urlProblem(String url, boolean allowPrivate) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "must be an absolute http:// or https:// URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        if (!(scheme.equals("http") || scheme.equals("https")) || host == null || host.isEmpty()
                || uri.getRawUserInfo() != null) {
            return "must be an absolute http:// or https:// URL with a host and no user info";
        }
        if (allowPrivate) {
            return null;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.endsWith(".localhost") || h.equals("localhost.localdomain")) {
            return "must not point at a loopback, private, link-local, multicast or metadata address";
        }
        if (h.startsWith("[") || h.indexOf(':') >= 0 || IPV4_LITERAL.matcher(h).matches()) {
            try {
                // A literal: getByName parses it without any lookup.
                if (blocked(InetAddress.getByName(h))) {
                    return "must not point at a loopback, private, link-local, multicast or metadata address";
                }
            } catch (UnknownHostException e) {
                return "must be an absolute http:// or https:// URL with a valid host";
            }
        }
        return null;
    }
}
