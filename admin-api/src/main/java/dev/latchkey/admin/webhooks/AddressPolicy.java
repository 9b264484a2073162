package dev.latchkey.admin.webhooks;

import dev.latchkey.core.admin.ConfigRules;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.net.InetAddress;

/**
 * Which addresses a webhook attempt may connect to (API.md §10): the rule is {@link ConfigRules#blockedAddress}, the
 * one the config rules apply to IP literals in URLs; this applies it to every address a receiver's name resolves to,
 * when the attempt connects, unless the service runs with {@code LATCHKEY_WEBHOOK_ALLOW_PRIVATE=true}.
 */
public final class AddressPolicy {

    /** The environment variable that allows private receivers (tests, private networks). */
    public static final String ALLOW_PRIVATE_ENV = "LATCHKEY_WEBHOOK_ALLOW_PRIVATE";
    /** The {@code last_error} of an attempt refused for its address. */
    public static final String BLOCKED = "blocked_address";

    private AddressPolicy() {
    }

    /** Returns whether a webhook must not connect to {@code address}. */
    public static boolean blocked(InetAddress address) {
        String text = address.getHostAddress();
        int scope = text.indexOf('%');
        IPAddress ip = new IPAddressString(scope < 0 ? text : text.substring(0, scope)).getAddress();
        return ip == null || ConfigRules.blockedAddress(ip);
    }
}
