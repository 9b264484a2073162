package dev.latchkey.admin;

import dev.latchkey.core.InMemoryKeyStore;
import dev.latchkey.core.KeyStore;

/** Runs the config admin API tests on the embedded in-memory store. */
class InMemoryConfigsApiIT extends ConfigsApiTests {

    @Override
    protected KeyStore createStore() {
        return new InMemoryKeyStore();
    }
}
