package dev.latchkey.core.admin;

import org.jspecify.annotations.Nullable;

/**
 * An IP restriction as a caller writes it, before validation.
 *
 * @param value  an IPv4 or IPv6 address or CIDR block without host bits
 * @param label  an optional note (at most 100 characters)
 * @param status {@code active} (default) or {@code inactive}
 */
public record IpRuleInput(@Nullable String value, @Nullable String label, @Nullable String status) {
}
