package dev.latchkey.gateway;

import dev.latchkey.core.internal.IpAddresses;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A list of CIDR blocks that socket addresses are checked against ({@code LATCHKEY_GATEWAY_CLIENTS}). A gateway
 * connects from a handful of addresses, so answers are remembered per address text (at most
 * {@value #MAX_REMEMBERED}), which keeps the address parser off the hot path. IPv4-mapped IPv6 addresses are
 * compared as IPv4. Thread-safe.
 *
 * @since 0.1
 */
public final class AddressBlocks {

    private static final int MAX_REMEMBERED = 1024;

    private final List<IPAddress> blocks;
    private final String text;
    private final ConcurrentHashMap<String, Boolean> remembered = new ConcurrentHashMap<>();

    private AddressBlocks(List<IPAddress> blocks) {
        this.blocks = List.copyOf(blocks);
        List<String> parts = new ArrayList<>();
        for (IPAddress b : blocks) {
            parts.add(b.toCanonicalString());
        }
        this.text = String.join(",", parts);
    }

    /**
     * Parses addresses or CIDR blocks separated by commas or spaces.
     *
     * @throws IllegalArgumentException naming the bad entry, or when there is none
     */
    public static AddressBlocks parse(String text) {
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
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("name at least one address or CIDR block");
        }
        return new AddressBlocks(blocks);
    }

    /** Returns whether a socket address (as Grizzly reports it) is inside one of the blocks. */
    public boolean contains(@Nullable String address) {
        if (address == null) {
            return false;
        }
        Boolean known = remembered.get(address);
        if (known != null) {
            return known;
        }
        boolean inside = check(address);
        if (remembered.size() < MAX_REMEMBERED) {
            remembered.put(address, inside);
        }
        return inside;
    }

    private boolean check(String address) {
        String a = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1)
                : address;
        int zone = a.indexOf('%');
        IPAddress ip = IpAddresses.parseAddress(zone >= 0 ? a.substring(0, zone) : a);
        if (ip == null) {
            return false;
        }
        for (IPAddress b : blocks) {
            if (b.getIPVersion() == ip.getIPVersion() && b.contains(ip)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return text;
    }
}
