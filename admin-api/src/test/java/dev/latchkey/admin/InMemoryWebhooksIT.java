package dev.latchkey.admin;

import dev.latchkey.core.InMemoryKeyStore;
import dev.latchkey.core.KeyStore;

/** Runs the webhook tests on the in-memory store. */
class InMemoryWebhooksIT extends WebhooksApiTests {

    @Override
    protected KeyStore createStore() {
        return new InMemoryKeyStore();
    }
}
