package dev.latchkey.engine;

import dev.latchkey.core.internal.IpAddresses;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Finds the client address of a request. It is the socket peer, unless the peer is a trusted proxy: then it is the
 * right-most address of RFC 7239 {@code Forwarded} (when present) or else {@code X-Forwarded-For} that is not a
 * trusted proxy itself. Addresses a client wrote further left are never believed, so a spoofed
 * {@code X-Forwarded-For} cannot pick the address. An entry that is not an address ({@code unknown}, an obfuscated
 * identifier, garbage) where the walk stops makes the client unknown ({@code null}), which keys with IP rules deny.
 * Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class ClientAddresses {

    /** Trusts no proxy: the socket peer is always the client. */
    public static final ClientAddresses NONE = new ClientAddresses(List.of());

    private static final int MAX_HOPS = 64;

    private final List<IPAddress> trusted;

    ClientAddresses(List<IPAddress> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    /**
     * Parses {@code latchkey.trusted-proxies}: CIDR blocks or addresses separated by commas or spaces.
     *
     * @throws IllegalArgumentException naming the bad entry
     */
    public static ClientAddresses parse(String text) {
        List<IPAddress> blocks = new ArrayList<>();
        for (String part : text.split("[,\\s]+")) {
            if (part.isEmpty()) {
                continue;
            }
            try {
                blocks.add(IpAddresses.parseBlock(part));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + part + "' " + e.getMessage(), e);
            }
        }
        return new ClientAddresses(blocks);
    }

    /** Returns whether any proxy is trusted. */
    public boolean trustsAny() {
        return !trusted.isEmpty();
    }

    private boolean isTrusted(IPAddress address) {
        for (IPAddress block : trusted) {
            if (block.getIPVersion() == address.getIPVersion() && block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** Returns the client address, or {@code null} when it cannot be told. */
    public @Nullable IPAddress clientOf(@Nullable String remoteAddr, Iterator<String> forwarded,
            Iterator<String> forwardedFor) {
        IPAddress peer = parseHost(remoteAddr);
        if (peer == null || trusted.isEmpty() || !isTrusted(peer)) {
            return peer;
        }
        List<String> hops = forwardedHops(forwarded);
        if (hops == null) {
            hops = listHops(forwardedFor);
        }
        if (hops.isEmpty()) {
            return peer;
        }
        IPAddress last = peer;
        for (int i = hops.size() - 1; i >= 0 && hops.size() - i <= MAX_HOPS; i--) {
            IPAddress hop = parseHost(hops.get(i));
            if (hop == null) {
                return null;
            }
            if (!isTrusted(hop)) {
                return hop;
            }
            last = hop;
        }
        return last; // every hop is a trusted proxy: the left-most one is the best we know
    }

    private static List<String> listHops(Iterator<String> headers) {
        List<String> hops = new ArrayList<>();
        for (Iterator<String> it = headers; it.hasNext(); ) {
            String header = it.next();
            for (String part : header.split(",")) {
                String p = part.strip();
                if (!p.isEmpty()) {
                    hops.add(p);
                }
            }
        }
        return hops;
    }

    /** Returns the {@code for=} values of every Forwarded element in order, or {@code null} when there is none. */
    private static @Nullable List<String> forwardedHops(Iterator<String> headers) {
        List<String> hops = null;
        for (Iterator<String> it = headers; it.hasNext(); ) {
            String header = it.next();
            if (hops == null) {
                hops = new ArrayList<>();
            }
            for (String element : splitOutsideQuotes(header, ',')) {
                String found = "";
                for (String pair : splitOutsideQuotes(element, ';')) {
                    int eq = pair.indexOf('=');
                    if (eq > 0 && pair.substring(0, eq).strip().equalsIgnoreCase("for")) {
                        found = unquote(pair.substring(eq + 1).strip());
                    }
                }
                if (!element.isBlank()) {
                    hops.add(found);
                }
            }
        }
        return hops;
    }

    private static List<String> splitOutsideQuotes(String s, char sep) {
        List<String> out = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted) {
                i++;
            } else if (c == sep && !quoted) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            return v.substring(1, v.length() - 1).replace("\\", "");
        }
        return v;
    }

    /** Parses an address that may carry IPv6 brackets, a port, or a zone id. */
    public static @Nullable IPAddress parseHost(@Nullable String text) {
        if (text == null) {
            return null;
        }
        String t = text.strip();
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0) {
                return null;
            }
            String rest = t.substring(close + 1);
            if (!rest.isEmpty() && !rest.matches(":[0-9]{1,5}")) {
                return null;
            }
            t = t.substring(1, close);
        } else if (t.indexOf(':') >= 0 && t.indexOf(':') == t.lastIndexOf(':')) {
            t = t.substring(0, t.indexOf(':')); // IPv4 with a port
        }
        int zone = t.indexOf('%');
        if (zone >= 0) {
            t = t.substring(0, zone);
        }
        return IpAddresses.parseAddress(t);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientAddresses c && c.trusted.equals(trusted);
    }

    @Override
    public int hashCode() {
        return trusted.hashCode();
    }
}
