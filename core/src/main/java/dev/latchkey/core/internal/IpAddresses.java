package dev.latchkey.core.internal;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.AddressStringParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import org.jspecify.annotations.Nullable;

/**
 * Strict parsing of IP addresses and CIDR blocks: only the ordinary dotted-quad IPv4 and RFC 4291 IPv6 text forms,
 * no wildcards, ranges, masks, {@code inet_aton} shorthands or leading zeros, so what a user writes means what it
 * looks like it means.
 */
public final class IpAddresses {

    private static final int MAX_TEXT_LENGTH = 64;

    private static final IPAddressStringParameters STRICT = strictParameters();

    /** Client addresses repeat from request to request: remembered so the cached path parses nothing. */
    private static final AddressMemo CLIENTS = new AddressMemo();
    /** IP rules are parsed again each time a record is read (listing pages, cache loads): remembered likewise. */
    private static final AddressMemo BLOCKS = new AddressMemo();

    private IpAddresses() {
    }

    private static IPAddressStringParameters strictParameters() {
        IPAddressStringParameters.Builder b = new IPAddressStringParameters.Builder()
                .allowEmpty(false)
                .allowAll(false)
                .allowSingleSegment(false)
                .setEmptyAsLoopback(false)
                .allowMask(false)
                .allowPrefixOnly(false)
                .allowWildcardedSeparator(false)
                .setRangeOptions(AddressStringParameters.RangeParameters.NO_RANGE)
                .allow_inet_aton(false);
        b.getIPv4AddressParametersBuilder()
                .allowLeadingZeros(false)
                .allowPrefixLengthLeadingZeros(true) // the library counts "/0" as a leading zero: see parse()
                .allowBinary(false)
                .allowPrefixesBeyondAddressSize(false)
                .allowWildcardedSeparator(false)
                .setRangeOptions(AddressStringParameters.RangeParameters.NO_RANGE);
        b.getIPv6AddressParametersBuilder()
                .allowPrefixLengthLeadingZeros(true)
                .allowBinary(false)
                .allowPrefixesBeyondAddressSize(false)
                .allowWildcardedSeparator(false)
                .setRangeOptions(AddressStringParameters.RangeParameters.NO_RANGE);
        return b.toParams();
    }

    /**
     * Parses a single IP address (no prefix length), as a client address is written.
     *
     * @return the address, or {@code null} when the text is not one IPv4 or IPv6 address
     */
    public static @Nullable IPAddress parseAddress(@Nullable String text) {
        return text == null ? null : CLIENTS.get(text, IpAddresses::parseSingle);
    }

    private static @Nullable IPAddress parseSingle(String text) {
        IPAddress address = parse(text);
        if (address == null || address.isPrefixed() || address.isMultiple()) {
            return null;
        }
        if (address.isIPv6() && address.toIPv6().isIPv4Mapped()) {
            return address.toIPv6().getEmbeddedIPv4Address();
        }
        return address;
    }

    /**
     * Parses an address or a CIDR block for an IP restriction.
     *
     * @throws IllegalArgumentException with a message fit for the caller when the text is not an address, not a
     *     CIDR, or a CIDR with host bits set ({@code 10.0.0.1/8})
     */
    public static IPAddress parseBlock(String text) {
        IPAddress known = text == null ? null : BLOCKS.get(text, IpAddresses::validBlock);
        return known != null ? known : checkedBlock(text);
    }

    private static @Nullable IPAddress validBlock(String text) {
        try {
            return checkedBlock(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static IPAddress checkedBlock(String text) {
        IPAddress address = parse(text);
        if (address == null) {
            throw new IllegalArgumentException("must be an IPv4 or IPv6 address or CIDR block");
        }
        if (address.isPrefixed() && !address.isPrefixBlock()) {
            throw new IllegalArgumentException("CIDR block must not have host bits set (did you mean "
                    + address.toPrefixBlock().toCanonicalString() + "?)");
        }
        if (address.isMultiple() && !address.isPrefixBlock()) {
            throw new IllegalArgumentException("must be an IPv4 or IPv6 address or CIDR block");
        }
        return address;
    }

    private static @Nullable IPAddress parse(@Nullable String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_TEXT_LENGTH) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
                    || c == '.' || c == ':' || c == '/';
            if (!ok) {
                return null;
            }
        }
        int slash = text.indexOf('/');
        if (slash >= 0 && text.length() > slash + 2 && text.charAt(slash + 1) == '0') {
            return null; // a prefix length with a leading zero, such as /08; /0 itself is fine
        }
        try {
            IPAddress address = new IPAddressString(text, STRICT).toAddress();
            return address.isIPv4() || address.isIPv6() ? address : null;
        } catch (AddressStringException | RuntimeException e) {
            return null;
        }
    }

    /** Returns the canonical text of an address or block, without {@code /32} or {@code /128} on single hosts. */
    public static String canonical(IPAddress address) {
        if (address.isPrefixed() && address.isSinglePrefixBlock() && address.getPrefixLength() == address.getBitCount()) {
            return address.withoutPrefixLength().toCanonicalString();
        }
        return address.toCanonicalString();
    }
}
