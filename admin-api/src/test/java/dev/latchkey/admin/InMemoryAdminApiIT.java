package dev.latchkey.admin;

import dev.latchkey.core.InMemoryKeyStore;
import dev.latchkey.core.KeyStore;

/** Runs the admin API tests on the embedded in-memory store. */
class InMemoryAdminApiIT extends AdminApiTests {

    @Override
    protected KeyStore createStore() {
        return new InMemoryKeyStore();
    }

    @Override
    protected String expectedStoreKind() {
        return "memory";
    }
}
