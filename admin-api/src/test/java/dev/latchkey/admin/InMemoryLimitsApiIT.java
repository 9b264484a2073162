package dev.latchkey.admin;

import dev.latchkey.core.InMemoryKeyStore;
import dev.latchkey.core.KeyStore;

/** Runs the limits admin API tests on the embedded in-memory store. */
class InMemoryLimitsApiIT extends LimitsApiTests {

    @Override
    protected KeyStore createStore() {
        return new InMemoryKeyStore();
    }
}
