package dev.quiver.cloudflare.posture;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address or CIDR range, as rules, lists and the review's {@code bad_ips} write them. Parsed without
 * name resolution: only literals are accepted.
 */
record IpRange(int bits, BigInteger first, BigInteger last) {

    private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]+(/\\d{1,3})?");

    static Optional<IpRange> parse(String text) {
        String value = text.trim();
        if (!LITERAL.matcher(value).matches() || (!value.contains(".") && !value.contains(":"))) {
            return Optional.empty();
        }
        int slash = value.indexOf('/');
        String address = slash < 0 ? value : value.substring(0, slash);
        byte[] bytes;
        try {
            // A literal (digits, dots, colons) never triggers a DNS lookup.
            bytes = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        int bits = bytes.length * 8;
        int prefix = slash < 0 ? bits : Integer.parseInt(value.substring(slash + 1));
        if (prefix > bits) {
            return Optional.empty();
        }
        BigInteger base = new BigInteger(1, bytes);
        BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
        BigInteger first = base.andNot(hostMask);
        return Optional.of(new IpRange(bits, first, first.or(hostMask)));
    }

    /** Whether every address of {@code other} is in this range. */
    boolean covers(IpRange other) {
        return bits == other.bits && first.compareTo(other.first) <= 0 && last.compareTo(other.last) >= 0;
    }

    /** Whether any address of {@code other} is in this range. */
    boolean overlaps(IpRange other) {
        return bits == other.bits && first.compareTo(other.last) <= 0 && last.compareTo(other.first) >= 0;
    }
}
