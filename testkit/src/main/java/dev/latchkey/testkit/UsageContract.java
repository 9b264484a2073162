package dev.latchkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.KeyResolver;
import dev.latchkey.core.Usage;
import dev.latchkey.core.UsageBatch;
import dev.latchkey.core.UsageDelta;
import dev.latchkey.core.UsageRecorder;
import dev.latchkey.core.Verifier;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.KeyPatch;
import dev.latchkey.core.internal.Ids;
import dev.latchkey.core.internal.IpAddresses;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The store contract, topic by topic. Usage: batches add up, apply once per batch id, never move the version, and the
 * recorder reaches the store. Part of {@link KeyStoreContract}, which every store's test extends.
 */
@Tag("contract")
public interface UsageContract extends StoreFixture {

    @Test
    default void usage_countsAddAcrossBatches_andLastUseOnlyMovesForward() {
        ApiKey k = Keys.minimal(now());
        store().create(k);
        Instant t1 = now().plusSeconds(10);
        Instant t2 = now().plusSeconds(20);
        Instant t3 = now().plusSeconds(30);

        store().recordUsage(batch(Ids.next(), new UsageDelta(k.id(), 3, t2, "203.0.113.2")));
        store().recordUsage(batch(Ids.next(), new UsageDelta(k.id(), 2, t1, "203.0.113.1")));
        assertThat(stored(k.id()).usage()).isEqualTo(new Usage(5, t2, "203.0.113.2"));

        store().recordUsage(batch(Ids.next(), new UsageDelta(k.id(), 1, t3, "2001:db8::1")));
        assertThat(stored(k.id()).usage()).isEqualTo(new Usage(6, t3, "2001:db8::1"));
    }

    @Test
    default void usage_sameBatchIdIsAppliedOnce() {
        ApiKey a = Keys.minimal(now());
        ApiKey b = Keys.minimal(now());
        store().create(a);
        store().create(b);
        UsageBatch batch = batch(Ids.next(), new UsageDelta(a.id(), 4, now(), null),
                new UsageDelta(b.id(), 7, now(), "203.0.113.3"));

        store().recordUsage(batch);
        store().recordUsage(batch);
        store().recordUsage(batch(Ids.next(), new UsageDelta(a.id(), 1, now(), null)));

        assertThat(stored(a.id()).usage().count()).isEqualTo(5);
        assertThat(stored(b.id()).usage()).isEqualTo(new Usage(7, now(), "203.0.113.3"));
    }

    @Test
    default void usage_neverChangesVersionOrUpdatedAt() {
        ApiKey k = Keys.minimal(now());
        store().create(k);

        store().recordUsage(batch(Ids.next(), new UsageDelta(k.id(), 9, now().plusSeconds(5), "203.0.113.4")));

        ApiKey found = stored(k.id());
        assertThat(found.version()).isEqualTo(1);
        assertThat(found.updatedAt()).isEqualTo(k.updatedAt());
        assertThat(found.withUsage(Usage.NONE)).isEqualTo(k);
        assertThat(manager().update(Actor.ROOT, k.id(), KeyPatch.EMPTY.withName("still fine"), 1L).version())
                .isEqualTo(2);
    }

    @Test
    default void usage_forUnknownKeysIsIgnored_andTheRestApplies() {
        ApiKey k = Keys.minimal(now());
        store().create(k);
        String ghost = Ids.next();

        store().recordUsage(batch(Ids.next(), new UsageDelta(ghost, 5, now(), null),
                new UsageDelta(k.id(), 2, now(), null)));

        assertThat(store().find(ghost)).isEmpty();
        assertThat(stored(k.id()).usage().count()).isEqualTo(2);
    }

    @Test
    default void usage_aBatchOfManyKeysAppliesToEveryKey() {
        // More keys than a store writes at once (the Redis store keeps a window of scripts in flight).
        List<ApiKey> keys = new ArrayList<>();
        List<UsageDelta> deltas = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ApiKey k = Keys.minimal(now());
            store().create(k);
            keys.add(k);
            deltas.add(new UsageDelta(k.id(), i + 1, now(), "203.0.113." + (i % 250)));
        }

        store().recordUsage(batch(Ids.next(), deltas.toArray(UsageDelta[]::new)));

        for (int i = 0; i < keys.size(); i++) {
            assertThat(stored(keys.get(i).id()).usage()).isEqualTo(new Usage(i + 1, now(), "203.0.113." + (i % 250)));
        }
    }

    @Test
    default void usage_fromVerificationsThroughRecorder_reachesTheStore() {
        IssuedKey k = create("busy");
        try (UsageRecorder recorder = UsageRecorder.builder(store()).flushInterval(Duration.ZERO).build()) {
            Verifier counting = new Verifier(KeyResolver.direct(store()), Keys.CODEC, Keys.HASHER, clock(), recorder);
            counting.verify(k.token(), IpAddresses.parseAddress("203.0.113.8"));
            counting.verify(k.token(), IpAddresses.parseAddress("203.0.113.8"), List.of("not:granted"));
            clock().advance(Duration.ofSeconds(1));
            counting.verify(k.token(), IpAddresses.parseAddress("2001:db8::8"));
            assertThat(recorder.flush()).isTrue();
        }

        assertThat(stored(k.key().id()).usage()).isEqualTo(new Usage(2, now(), "2001:db8::8"));
        assertThat(stored(k.key().id()).version()).isEqualTo(1);
    }
}
