package dev.latchkey.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.internal.Ids;
import dev.latchkey.core.events.Delivery;
import dev.latchkey.core.events.DeliveryStatus;
import dev.latchkey.core.events.EventLog;
import dev.latchkey.core.events.OutboxEvent;
import dev.latchkey.core.events.StreamedEvent;
import dev.latchkey.testkit.Keys;
import dev.latchkey.testkit.RedisServer;
import dev.latchkey.testkit.WithRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tests for the Redis {@link EventLog}: the outbox written with a key change, the relay that recovers what a crash
 * left in an outbox, the consumer group and its take-over of a dead reader's entries, and deliveries that are created
 * once and leased to one node at a time.
 */
@WithRedis
class RedisEventLogIT {

    private final RedisServer redis;
    private String prefix;
    private RedisKeyStore store;
    private EventLog log;

    RedisEventLogIT(RedisServer redis) {
        this.redis = redis;
    }

    @BeforeEach
    void open() {
        prefix = redis.uniqueKeyPrefix();
        store = RedisKeyStore.builder().uri(redis.uri()).keyPrefix(prefix).commandTimeout(Duration.ofSeconds(5))
                .build();
        log = store.events();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static OutboxEvent event(ApiKey key, String type) {
        return new OutboxEvent(Ids.next(), type, key.id(), key.tenantId(), Instant.now(), null, "{\"type\":\"" + type
                + "\"}");
    }

    private List<StreamedEvent> readAll(String consumer, Duration idle) {
        return log.read(consumer, 100, idle, Duration.ZERO);
    }

    @Test
    void keyChanges_writeTheirEvents_whichOneConsumerOfTheGroupReads() {
        ApiKey key = Keys.minimal(Instant.now());
        OutboxEvent created = event(key, "key.created");
        store.create(key, created);
        OutboxEvent deleted = event(key, "key.deleted");
        assertThat(store.delete(key.id(), deleted)).isTrue();

        List<StreamedEvent> first = readAll("a", Duration.ofMinutes(1));
        assertThat(first).extracting(e -> e.event().id()).containsExactly(created.id(), deleted.id());
        assertThat(first.get(0).event()).isEqualTo(created);
        assertThat(readAll("b", Duration.ofMinutes(1))).as("another consumer of the group").isEmpty();
        first.forEach(log::ack);
        assertThat(log.pending()).isZero();
    }

    @Test
    void relay_movesWhatACrashLeftInAnOutbox_toTheStream_once() {
        ApiKey key = Keys.minimal(Instant.now());
        store.create(key);
        OutboxEvent stranded = event(key, "key.updated");
        // As if the process died after the key script committed and before it relayed: the entry is still there.
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> raw = client.connect()) {
            raw.sync().hset(prefix + "k:{" + key.id() + "}:ob", stranded.id(), stranded.encode());
        } finally {
            client.shutdown();
        }
        assertThat(readAll("a", Duration.ofMinutes(1))).isEmpty();

        assertThat(log.relay(Duration.ofMinutes(5))).as("too young to relay yet").isZero();
        assertThat(log.relay(Duration.ZERO)).isEqualTo(1);
        assertThat(log.relay(Duration.ZERO)).as("the outbox entry is gone once streamed").isZero();

        List<StreamedEvent> read = readAll("a", Duration.ofMinutes(1));
        assertThat(read).extracting(StreamedEvent::event).containsExactly(stranded);
    }

    @Test
    void entryHeldByADeadReader_isTakenOverByAnother_afterTheIdleTime() {
        ApiKey key = Keys.minimal(Instant.now());
        OutboxEvent created = event(key, "key.created");
        store.create(key, created);
        assertThat(readAll("dead", Duration.ofMinutes(1))).hasSize(1); // read, never acknowledged

        assertThat(readAll("alive", Duration.ofMinutes(1))).as("not idle long enough").isEmpty();
        List<StreamedEvent> taken = readAll("alive", Duration.ZERO);
        assertThat(taken).extracting(e -> e.event().id()).containsExactly(created.id());
    }

    @Test
    void delivery_isCreatedOncePerEventAndConfig_andLeasedToOneNodeAtATime() {
        ApiKey key = Keys.minimal(Instant.now());
        OutboxEvent e = event(key, "key.created");
        String config = Ids.next();
        Instant now = Instant.now();
        Delivery d = Delivery.pending(Delivery.idFor(e, config), config, key.tenantId(), e, "{}", now);
        assertThat(log.createDelivery(d)).isTrue();
        assertThat(log.createDelivery(Delivery.pending(Delivery.idFor(e, config), config, key.tenantId(), e, "{}",
                now.plusSeconds(1)))).as("the same event streamed twice").isFalse();

        assertThat(log.claimDue(now, Duration.ofSeconds(30), 10)).extracting(Delivery::id).containsExactly(d.id());
        assertThat(log.claimDue(now.plusSeconds(5), Duration.ofSeconds(30), 10)).as("leased").isEmpty();
        assertThat(log.claimDue(now.plusSeconds(31), Duration.ofSeconds(30), 10)).as("the lease ran out")
                .extracting(Delivery::id).containsExactly(d.id());

        Delivery done = d.after(new dev.latchkey.core.events.Attempt(now, 200, null, 12), DeliveryStatus.DELIVERED,
                null);
        log.saveDelivery(done);
        assertThat(log.claimDue(now.plusSeconds(120), Duration.ofSeconds(30), 10)).isEmpty();
        assertThat(log.delivery(d.id())).contains(done);
        assertThat(log.deliveries(config, DeliveryStatus.DELIVERED, 0, 10).items()).containsExactly(done);
        assertThat(log.deliveries(config, DeliveryStatus.PENDING, 0, 10).total()).isZero();
    }

    @Test
    void expiredKeys_areListed_untilTheirExpiryIsHandled() {
        Instant at = Instant.now().plusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        ApiKey key = Keys.key("expiring", Instant.now()).expiresAt(at).build();
        store.create(key);

        assertThat(log.expiredKeys(at.minusSeconds(1), 10)).doesNotContain(key.id());
        assertThat(log.expiredKeys(at, 10)).contains(key.id());
        log.expiryHandled(key.id(), at);
        assertThat(log.expiredKeys(at.plusSeconds(1), 10)).doesNotContain(key.id());
    }
}
