package dev.latchkey.admin;

import dev.latchkey.core.InMemoryKeyStore;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * An admin service on an in-memory store and a free loopback port, with a client for it: what a test of the HTTP
 * layer alone (negotiation, guards, the throttle) needs. Closing stops both.
 */
final class InMemoryAdmin implements AutoCloseable {

    final InMemoryKeyStore store = new InMemoryKeyStore();
    final AdminServer server;
    final Http http;

    InMemoryAdmin(String rootToken) {
        this(rootToken, b -> b);
    }

    /** Starts with {@code options} applied to the builder after the port, token and a one-second shutdown grace. */
    InMemoryAdmin(String rootToken, UnaryOperator<AdminServerBuilder> options) {
        server = options.apply(AdminServer.builder(store).port(0).adminToken(rootToken)
                .shutdownGrace(Duration.ofSeconds(1))).build().start();
        http = new Http(server.baseUri());
    }

    @Override
    public void close() {
        server.close();
        store.close();
    }
}
