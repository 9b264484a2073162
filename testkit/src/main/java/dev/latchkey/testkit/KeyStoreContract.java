package dev.latchkey.testkit;

import dev.latchkey.core.KeyQuery;
import dev.latchkey.core.KeyResolver;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.UsageSink;
import dev.latchkey.core.Verifier;
import dev.latchkey.core.admin.KeyManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

/**
 * The suite every {@link KeyStore} must pass: the in-memory store, the Redis store (standalone and Cluster) and any
 * store a user writes. A subclass only says how to open a store. The tests themselves live in topic interfaces
 * ({@link RecordsContract}, {@link ListingContract}, {@link UsageContract}, {@link EventsContract},
 * {@link ConcurrencyContract}, {@link AdminRulesContract}); this class combines them and runs each test on a new,
 * empty store. A store that also keeps rate limits adds {@link LimitsContract}.
 *
 * <p>Most tests drive the store through core's {@link KeyManager} and {@link Verifier} (with a {@link MutableClock},
 * so no test waits for time to pass), because that is how the store is used and every rule of the admin API sits on
 * the SPI's compare-and-set. The others call the SPI directly, for what {@code KeyManager} never does on its own
 * (stale replaces, replayed usage batches, duplicate ids).
 *
 * <p>What the suite requires beyond the {@link KeyStore} Javadoc:
 * <ul>
 *   <li>{@link #createStore()} returns an <b>empty</b> store for every test (a shared server needs a fresh key prefix
 *       or database per call) and the suite closes it after the test through {@link #closeStore};</li>
 *   <li>instants survive a round trip with at least millisecond precision;</li>
 *   <li>a listener registered by {@link KeyStore#subscribe} receives every later change of this store (events may
 *       arrive on another thread and later; the suite waits up to {@link #eventTimeout()});</li>
 *   <li>listing, status filters and grace windows are judged by the {@code now} the caller passes
 *       ({@link KeyQuery#now()}), never by the store's own clock.</li>
 * </ul>
 *
 * <p>Optional: {@link #createPeerStore} opens a second node on the same data, to check that changes reach other
 * nodes; stores that cannot (the in-memory store) leave it {@code null} and those tests are skipped.
 *
 * <pre>{@code
 * class MyKeyStoreTest extends KeyStoreContract {
 *     @Override protected KeyStore createStore() { return new MyKeyStore(...); }
 * }
 * }</pre>
 */
@Tag("contract")
public abstract class KeyStoreContract implements RecordsContract, ListingContract, UsageContract, EventsContract,
        ConcurrencyContract, AdminRulesContract {

    private @Nullable MutableClock clock;
    private @Nullable KeyStore store;
    private @Nullable KeyManager manager;
    private @Nullable Verifier verifier;
    private final List<KeyStore> peers = new ArrayList<>();

    /**
     * Opens a new, empty store for one test. Called once before every test; the store is closed with
     * {@link #closeStore} after it.
     */
    protected abstract KeyStore createStore();

    /** Closes a store opened by {@link #createStore} or {@link #createPeerStore}; override to clean up data too. */
    protected void closeStore(KeyStore store) {
        store.close();
    }

    /**
     * Opens a second node on the same data as {@code store} (same server and key prefix, its own connections), or
     * returns {@code null} when the backend has no such thing; then the multi-node tests are skipped.
     */
    protected @Nullable KeyStore createPeerStore(KeyStore store) {
        return null;
    }

    /** The longest the suite waits for an event to arrive. */
    @Override
    public Duration eventTimeout() {
        return Duration.ofSeconds(5);
    }

    /** The rounds each of the concurrency tests' threads runs; lower it for a slow backend. */
    @Override
    public int concurrencyRounds() {
        return 12;
    }

    @BeforeEach
    final void openContractStore() {
        clock = MutableClock.atNow();
        store = createStore();
        manager = new KeyManager(store, Keys.CODEC, Keys.HASHER, clock, Runnable::run);
        verifier = new Verifier(KeyResolver.direct(store), Keys.CODEC, Keys.HASHER, clock, UsageSink.NONE);
    }

    @AfterEach
    final void closeContractStore() {
        for (KeyStore peer : peers) {
            closeStore(peer);
        }
        peers.clear();
        if (store != null) {
            closeStore(store);
        }
    }

    @Override
    public final KeyStore store() {
        return Objects.requireNonNull(store, "store");
    }

    @Override
    public final MutableClock clock() {
        return Objects.requireNonNull(clock, "clock");
    }

    @Override
    public final KeyManager manager() {
        return Objects.requireNonNull(manager, "manager");
    }

    @Override
    public final Verifier verifier() {
        return Objects.requireNonNull(verifier, "verifier");
    }

    @Override
    public final @Nullable KeyStore openPeer() {
        KeyStore peer = createPeerStore(store());
        if (peer != null) {
            peers.add(peer);
        }
        return peer;
    }
}
