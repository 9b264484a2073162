package dev.latchkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.Environment;
import dev.latchkey.core.KeyQuery;
import dev.latchkey.core.KeyStatus;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.KeyType;
import dev.latchkey.core.Page;
import dev.latchkey.core.UsageBatch;
import dev.latchkey.core.UsageDelta;
import dev.latchkey.core.Verifier;
import dev.latchkey.core.VerifyCode;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.core.admin.OperationException;
import dev.latchkey.core.internal.Ids;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What the topic contracts ({@link RecordsContract}, {@link ListingContract}, {@link UsageContract},
 * {@link EventsContract}, {@link ConcurrencyContract}, {@link AdminRulesContract}) need from the class that runs them,
 * and the helpers they share. {@link KeyStoreContract} implements it; a store's test extends that and picks up every
 * topic, as Bucket4j's per-backend tests combine its shared suites.
 */
public interface StoreFixture {

    /** The platform admin key used where a test needs an admin other than root. */
    Actor PLATFORM_ADMIN = new Actor(Actor.Role.ADMIN, Ids.next(), null);
    /** One hour in seconds. */
    long HOUR = 3_600;

    /** Returns the store under test: new and empty for every test. */
    KeyStore store();

    /** Returns the test clock every component of the suite reads. */
    MutableClock clock();

    /** Returns a key manager on the store under test, with the test clock and jobs run on the calling thread. */
    KeyManager manager();

    /** Returns a verifier that reads the store directly (no cache), with the test clock. */
    Verifier verifier();

    /**
     * Opens a second node on the same data as {@link #store()}, closed after the test, or returns {@code null} when
     * the backend has no such thing (then the multi-node tests are skipped).
     */
    @Nullable KeyStore openPeer();

    /** The longest a test waits for an event to arrive. */
    Duration eventTimeout();

    /** The rounds each of the concurrency tests' threads runs. */
    int concurrencyRounds();

    default Instant now() {
        return clock().instant();
    }

    default IssuedKey create(String name) {
        return manager().create(Actor.ROOT, CreateKeyRequest.named(name));
    }

    default IssuedKey create(CreateKeyRequest request) {
        return manager().create(Actor.ROOT, request);
    }

    default VerifyCode verify(String token) {
        return verifier().verify(token, null).code();
    }

    default ApiKey stored(String id) {
        Optional<ApiKey> k = store().find(id);
        assertThat(k).as("key %s in the store", id).isPresent();
        return k.orElseThrow();
    }

    default Actor tenantAdmin(String tenant) {
        return new Actor(Actor.Role.TENANT_ADMIN, Ids.next(), tenant);
    }

    default OperationException.Reason reasonOf(Runnable call) {
        try {
            call.run();
        } catch (OperationException e) {
            return e.reason();
        }
        throw new AssertionError("expected an OperationException");
    }

    default String at(Instant instant) {
        return instant.toString();
    }

    default UsageBatch batch(String id, UsageDelta... deltas) {
        return new UsageBatch(id, List.of(deltas));
    }

    default List<String> ids(Page<ApiKey> page) {
        return page.items().stream().map(ApiKey::id).toList();
    }

    default Page<ApiKey> listAll(Function<KeyQueryArgs, KeyQueryArgs> filter) {
        KeyQueryArgs a = filter.apply(new KeyQueryArgs(null, null, null, null));
        return store().list(KeyQuery.clamped(a.tenant, a.status, a.type, a.env, 0, KeyQuery.MAX_LIMIT, now()));
    }

    record KeyQueryArgs(@Nullable String tenant, @Nullable KeyStatus status, @Nullable KeyType type,
            @Nullable Environment env) {
        KeyQueryArgs tenant(String t) { return new KeyQueryArgs(t, status, type, env); }
        KeyQueryArgs status(KeyStatus s) { return new KeyQueryArgs(tenant, s, type, env); }
        KeyQueryArgs type(KeyType t) { return new KeyQueryArgs(tenant, status, t, env); }
        KeyQueryArgs env(Environment e) { return new KeyQueryArgs(tenant, status, type, e); }
    }
}
