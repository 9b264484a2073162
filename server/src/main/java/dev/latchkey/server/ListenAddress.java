package dev.latchkey.server;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The bind address of a service, as its environment names it ({@code LATCHKEY_HOST}): one rule for the admin service
 * and the gateway. A value that no {@code http://} URL can carry as its host (such as {@code 999.1.1.1} or
 * {@code my_host}) is refused, because the server would otherwise be started from a URL without a host and listen on
 * every interface, on port 80.
 */
public final class ListenAddress {

    private ListenAddress() {
    }

    /**
     * Returns {@code host} when a URL can carry it as its host.
     *
     * @param variable the environment variable it came from, for the message
     * @throws IllegalArgumentException naming {@code variable} when it cannot
     */
    public static String checked(String host, String variable) {
        try {
            URI uri = new URI("http://" + uriHost(host) + ":0/");
            if (uri.getHost() != null && uri.getRawUserInfo() == null && uri.getPort() == 0
                    && "/".equals(uri.getRawPath())) {
                return host;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new IllegalArgumentException(variable + " must be an IP address or a host name");
    }

    /** Returns a host as it is written in a URL: IPv6 literals in brackets. */
    public static String uriHost(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
