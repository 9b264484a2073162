package dev.latchkey.testkit;

import dev.latchkey.core.KeyStore;
import org.junit.jupiter.api.Tag;

/**
 * The suite of rate limits, quotas, credits and tenant defaults (API.md §8, §9) that every {@link KeyStore} whose
 * {@link KeyStore#supportsLimits()} is true must pass, through the SPI directly: {@link ChargeContract} and
 * {@link CreditsContract}, on the {@link LimitsFixture} the test class provides. A test class that already extends
 * {@link KeyStoreContract} also implements this interface and names the store and clock it uses:
 *
 * <pre>{@code
 * class MyKeyStoreTest extends KeyStoreContract implements LimitsContract {
 *     @Override protected KeyStore createStore() { return new MyKeyStore(...); }
 *     @Override public KeyStore limitsStore() { return store(); }
 *     @Override public MutableClock limitsClock() { return clock(); }
 *     @Override public KeyStore openNode() { return ...; } // another node on the same data
 * }
 * }</pre>
 *
 * <p>Stores that keep limit time on their own clock (Redis {@code TIME}) run the clock-free tests only; the
 * window-crossing and month-end tests need {@link #storeTimeFollowsClock()}, and the store's arithmetic is then
 * checked some other way (the Redis store compares its Lua time functions with {@code LimitWindows}). The
 * exactness tests run {@value #NODES} store instances ({@link #openNode()}) × {@value #THREADS} threads on one key.
 */
@Tag("contract")
public interface LimitsContract extends ChargeContract, CreditsContract {
}
