package dev.latchkey.core;

import dev.latchkey.core.internal.IpAddresses;
import inet.ipaddr.IPAddress;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One IP allow-list rule of a key: an address or CIDR block, an optional label, and whether it is enforced.
 * A key with no active rule accepts any address; otherwise the client address must fall inside an active rule.
 *
 * @param id     a stable identifier of the rule (a ULID), so clients can refer to it
 * @param block  the parsed address or prefix block
 * @param label  a free-text note such as {@code office}, or {@code null}
 * @param status whether the rule is enforced
 */
public record IpRestriction(String id, IPAddress block, @Nullable String label, RuleStatus status) {

    public IpRestriction {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(block, "block");
        Objects.requireNonNull(status, "status");
    }

    /**
     * Parses a rule from its text form.
     *
     * @throws IllegalArgumentException when {@code value} is not an address or a CIDR block without host bits
     */
    public static IpRestriction of(String id, String value, @Nullable String label, RuleStatus status) {
        return new IpRestriction(id, IpAddresses.parseBlock(value), label, status);
    }

    /** Returns the canonical text of the address or block, e.g. {@code 203.0.113.0/24}. */
    public String value() {
        return IpAddresses.canonical(block);
    }

    /** Returns whether this rule is enforced. */
    public boolean active() {
        return status == RuleStatus.ACTIVE;
    }

    /** Returns whether {@code address} lies in this rule's block (an IPv4 address never matches an IPv6 rule). */
    public boolean matches(IPAddress address) {
        if (block.isIPv4() != address.isIPv4()) {
            return false;
        }
        return block.contains(address);
    }
}
