package dev.latchkey.core.admin;

import dev.latchkey.core.JdbcUrls;
import dev.latchkey.core.StorageKind;
import dev.latchkey.core.WebhookEvent;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The field rules of webhook and storage configs (API.md §10), one place for each: they add a {@link FieldError} per
 * broken rule, as {@link KeyRules} does for keys, so a request reports every bad field at once.
 */
public final class ConfigRules {

    /** The longest history a storage config keeps, in days. */
    public static final int MAX_RETENTION_DAYS = 400;
    /** The retention of a storage config created without one, in days. */
    public static final int DEFAULT_RETENTION_DAYS = 30;
    /** The longest description. */
    public static final int MAX_DESCRIPTION = 200;
    /** The longest webhook URL. */
    public static final int MAX_URL = 2048;

    private static final List<IPAddress> BLOCKED = blocks("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
            "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4",
            "240.0.0.0/4", "::/128", "::1/128", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8", "64:ff9b::/96",
            // IPv6 forms that carry an IPv4 address a relay or translator may deliver to: IPv4-compatible,
            // IPv4-translated (SIIT), 6to4, local-use NAT64 (RFC 8215) and Teredo; all deprecated or local.
            "::/96", "::ffff:0:0:0/96", "2002::/16", "64:ff9b:1::/48", "2001::/32");

    private ConfigRules() {
    }

    /**
     * Validates a webhook URL: absolute {@code http://} or {@code https://} with a host, at most {@value #MAX_URL}
     * characters; unless {@code allowPrivate}, a host that is {@code localhost} or an IP literal of a loopback,
     * private, link-local, multicast or metadata address is refused (names are checked when connecting).
     */
    public static @Nullable String webhookUrl(String field, @Nullable String value, boolean allowPrivate,
            List<FieldError> errors) {
        if (value == null) {
            errors.add(new FieldError(field, "required", "is required"));
            return null;
        }
        if (value.length() > MAX_URL || KeyRules.hasForbiddenCharacters(value)) {
            errors.add(new FieldError(field, "invalid", "must be an http(s) URL of at most " + MAX_URL
                    + " characters"));
            return null;
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            errors.add(new FieldError(field, "invalid", "is not a valid URL"));
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            errors.add(new FieldError(field, "invalid", "must start with https:// or http://"));
            return null;
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty() || uri.getRawUserInfo() != null) {
            errors.add(new FieldError(field, "invalid", "must name a host (and no user information)"));
            return null;
        }
        if (uri.getPort() == 0 || uri.getPort() > 65_535) {
            errors.add(new FieldError(field, "invalid", "has a port outside 1 to 65535"));
            return null;
        }
        if (!allowPrivate && blockedHost(host)) {
            errors.add(new FieldError(field, "blocked_address", "names a loopback, private, link-local, multicast or"
                    + " metadata address (allowed only with LATCHKEY_WEBHOOK_ALLOW_PRIVATE=true)"));
            return null;
        }
        return value;
    }

    /** Returns whether a URL host is {@code localhost} (or under it) or an IP literal {@link #blockedAddress}. */
    public static boolean blockedHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return true;
        }
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        IPAddress a = new IPAddressString(h).getAddress();
        return a != null && blockedAddress(a);
    }

    /**
     * Returns whether deliveries must not go to {@code address}: loopback, unspecified, private, shared (CGNAT),
     * link-local (including the 169.254.169.254 metadata address), multicast, reserved, IPv6 unique-local, and the
     * IPv6 transition ranges that embed an IPv4 address (IPv4-compatible, SIIT, 6to4, local NAT64, Teredo); an
     * IPv4-mapped IPv6 address is judged by its IPv4 address.
     */
    public static boolean blockedAddress(IPAddress address) {
        IPAddress a = address;
        if (a.isIPv6() && a.toIPv6().isIPv4Mapped()) {
            a = a.toIPv6().getEmbeddedIPv4Address();
        }
        for (IPAddress block : BLOCKED) {
            if (block.getIPVersion() == a.getIPVersion() && block.contains(a)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Validates a webhook config's {@code events}: each a known event or {@code "*"}, without duplicates; {@code null}
     * means {@code ["*"]}. An empty list is refused (a config that wants nothing is {@code enabled: false}).
     */
    public static List<WebhookEvent> events(String field, @Nullable List<String> value, List<FieldError> errors) {
        if (value == null) {
            return List.of(WebhookEvent.ALL);
        }
        if (value.isEmpty()) {
            errors.add(new FieldError(field, "size", "must name at least one event, or \"*\""));
            return List.of(WebhookEvent.ALL);
        }
        Set<WebhookEvent> out = new LinkedHashSet<>();
        for (int i = 0; i < value.size(); i++) {
            WebhookEvent e = WebhookEvent.fromWire(value.get(i));
            if (e == null) {
                errors.add(new FieldError(field + "[" + i + "]", "unknown_event", "must be one of "
                        + WebhookEvent.names()));
            } else {
                out.add(e);
            }
        }
        return out.isEmpty() ? List.of(WebhookEvent.ALL) : new ArrayList<>(out);
    }

    /** Validates a description: at most {@value #MAX_DESCRIPTION} characters, no control or bidi characters. */
    public static @Nullable String description(String field, @Nullable String value, List<FieldError> errors) {
        if (value == null) {
            return null;
        }
        if (value.length() > MAX_DESCRIPTION) {
            errors.add(new FieldError(field, "size", "must be at most " + MAX_DESCRIPTION + " characters"));
        } else if (KeyRules.hasForbiddenCharacters(value)) {
            errors.add(new FieldError(field, "forbidden_characters", "must not contain control or bidi characters"));
        }
        return value;
    }

    /** Validates a storage kind, which is required. */
    public static @Nullable StorageKind kind(String field, @Nullable String value, List<FieldError> errors) {
        if (value == null) {
            errors.add(new FieldError(field, "required", "is required: \"redis\" or \"postgresql\""));
            return null;
        }
        StorageKind k = StorageKind.fromWire(value);
        if (k == null) {
            errors.add(new FieldError(field, "invalid", "must be \"redis\" or \"postgresql\""));
        }
        return k;
    }

    /** Validates {@code retention_days}: 1 to {@value #MAX_RETENTION_DAYS}; {@code null} is the default, 30. */
    public static int retentionDays(String field, @Nullable Long value, List<FieldError> errors) {
        if (value == null) {
            return DEFAULT_RETENTION_DAYS;
        }
        if (value < 1 || value > MAX_RETENTION_DAYS) {
            errors.add(new FieldError(field, "range", "must be 1 to " + MAX_RETENTION_DAYS));
            return DEFAULT_RETENTION_DAYS;
        }
        return value.intValue();
    }

    /**
     * Validates {@code jdbc_url} for a storage kind: required for {@code postgresql} and then held to
     * {@link JdbcUrls}; refused for {@code redis}.
     */
    public static @Nullable String jdbcUrl(String field, @Nullable String value, @Nullable StorageKind kind,
            List<FieldError> errors) {
        if (kind == StorageKind.REDIS) {
            if (value != null) {
                errors.add(new FieldError(field, "invalid", "is only for postgresql configs"));
            }
            return null;
        }
        if (value == null) {
            if (kind == StorageKind.POSTGRESQL) {
                errors.add(new FieldError(field, "required", "is required for postgresql configs"));
            }
            return null;
        }
        String problem = JdbcUrls.problem(value);
        if (problem != null) {
            errors.add(new FieldError(field, "invalid", problem));
            return null;
        }
        return value;
    }

    private static List<IPAddress> blocks(String... cidrs) {
        List<IPAddress> out = new ArrayList<>();
        for (String c : cidrs) {
            out.add(new IPAddressString(c).getAddress().toPrefixBlock());
        }
        return List.copyOf(out);
    }
}
