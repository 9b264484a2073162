package dev.latchkey.redis;

import dev.latchkey.core.internal.Ids;
import java.net.InetAddress;

/** Names this store instance among the nodes of one Redis, so that a warning can say which node did not confirm. */
final class NodeNames {

    private NodeNames() {
    }

    /** Returns {@code <host>:<pid>:<unique suffix>}, with no {@code |} (the event separator). */
    static String next() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException | SecurityException e) {
            host = "unknown-host";
        }
        String id = Ids.next();
        String name = host + ":" + ProcessHandle.current().pid() + ":" + id.substring(id.length() - 8);
        return name.replace('|', '_');
    }
}
