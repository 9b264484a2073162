package dev.latchkey.testkit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.Ids;
import dev.latchkey.core.InMemoryKeyStore;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.StoreUnavailableException;
import org.junit.jupiter.api.Test;

/**
 * Tests for {@link InMemoryKeyStore}: the whole {@link KeyStoreContract} and {@link LimitsContract} (on the test clock,
 * so windows, days and month ends are crossed by moving it), plus what only the embedded store does.
 */
class InMemoryKeyStoreTest extends KeyStoreContract implements LimitsContract, TenantConfigsContract {

    @Override
    public KeyStore configsStore() {
        return store();
    }

    @Override
    protected KeyStore createStore() {
        return new InMemoryKeyStore(clock());
    }

    @Override
    public KeyStore limitsStore() {
        return store();
    }

    @Override
    public MutableClock limitsClock() {
        return clock();
    }

    @Override
    public KeyStore openNode() {
        return store();
    }

    @Override
    public boolean storeTimeFollowsClock() {
        return true;
    }

    @Test
    void close_thenEveryCall_throwsStoreUnavailable() {
        InMemoryKeyStore closed = new InMemoryKeyStore();
        closed.close();

        assertThatThrownBy(closed::ping).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> closed.find(Ids.next())).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> closed.create(Keys.minimal(clock().instant())))
                .isInstanceOf(StoreUnavailableException.class);
    }
}
