package dev.quiver.runner.connection;

import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.failure.Failure;
import dev.quiver.runner.failure.Failure.FailureException;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a connection may send its credential: over https, or over plain http to this host only (the sandbox, a test
 * double). Whoever sets {@code base_url} decides where the credential goes; plain http would also show it to every
 * network in between.
 */
final class BaseUrls {

    private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}$");
    private static final Pattern IPV6 = Pattern.compile("^\\[[0-9a-f:.]+]$");

    private BaseUrls() {
    }

    /**
     * Refuses a {@code base_url} that is neither https nor loopback; {@code null} (the type's default) passes.
     *
     * @throws FailureException UNKNOWN_CONNECTION naming the field
     */
    static void check(String baseUrl, String source) throws FailureException {
        if (baseUrl == null) {
            return;
        }
        URI uri;
        try {
            uri = new URI(baseUrl);
        } catch (URISyntaxException e) {
            throw refused(source, "base_url is not a URL", "Give base_url as https://host/path.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !scheme.equals("https") && !scheme.equals("http")) {
            throw refused(source, "base_url must be an https URL with a host", "Give base_url as https://host/path.");
        }
        if (scheme.equals("http") && !loopback(uri.getHost())) {
            throw refused(source, "base_url " + uri.getScheme() + "://" + uri.getHost() + " is plain http to another"
                            + " host: the credential would cross the network unencrypted",
                    "Use https in base_url; plain http is accepted only for localhost, 127.0.0.0/8 and [::1].");
        }
    }

    /** localhost, 127.0.0.0/8 or [::1], told from the text alone: no name is ever looked up. */
    static boolean loopback(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.equals("localhost")) {
            return true;
        }
        if (IPV4.matcher(name).matches()) {
            String[] octets = name.split("\\.");
            for (String octet : octets) {
                if (Integer.parseInt(octet) > 255) {
                    return false;
                }
            }
            return octets[0].equals("127");
        }
        if (IPV6.matcher(name).matches()) {
            try {
                // a literal (checked above), so no lookup happens
                return InetAddress.getByName(name.substring(1, name.length() - 1)).isLoopbackAddress();
            } catch (UnknownHostException notAnAddress) {
                return false;
            }
        }
        return false;
    }

    private static FailureException refused(String source, String message, String remediation) {
        return Failure.of(ErrorCode.INVALID_CONNECTION, source + ": " + message, remediation).raise();
    }
}
