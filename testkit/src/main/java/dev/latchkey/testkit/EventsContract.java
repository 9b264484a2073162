package dev.latchkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.latchkey.core.KeyEvent;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.Subscription;
import dev.latchkey.core.admin.Actor;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The store contract, topic by topic. Change events: subscribers on this node and on other nodes hear every change; a
 * failing listener harms nothing. Part of {@link KeyStoreContract}, which every store's test extends.
 */
@Tag("contract")
public interface EventsContract extends StoreFixture {

    @Test
    default void events_createdUpdatedAndDeleted_reachSubscribers() {
        Queue<KeyEvent> events = new ConcurrentLinkedQueue<>();
        try (Subscription ignored = store().subscribe(events::add)) {
            String id = create("evented").key().id();
            awaitEvent(events, KeyEvent.Type.CREATED, id);

            manager().setStatus(Actor.ROOT, id, "inactive", null, null);
            await().atMost(eventTimeout()).until(() -> events.contains(KeyEvent.of(KeyEvent.Type.UPDATED, id, 2)));

            manager().delete(Actor.ROOT, id);
            awaitEvent(events, KeyEvent.Type.DELETED, id);
        }
    }

    @Test
    default void events_afterUnsubscribe_stopArriving() {
        Queue<KeyEvent> closed = new ConcurrentLinkedQueue<>();
        Queue<KeyEvent> open = new ConcurrentLinkedQueue<>();
        Subscription first = store().subscribe(closed::add);
        try (Subscription ignored = store().subscribe(open::add)) {
            String before = create("before").key().id();
            awaitEvent(closed, KeyEvent.Type.CREATED, before);
            first.close();
            first.close();

            String after = create("after").key().id();
            awaitEvent(open, KeyEvent.Type.CREATED, after);
            manager().setStatus(Actor.ROOT, after, "inactive", null, null);
            awaitEvent(open, KeyEvent.Type.UPDATED, after);

            assertThat(closed).noneMatch(e -> after.equals(e.keyId()));
        }
    }

    @Test
    default void events_aListenerThatThrows_neitherStopsOthersNorTheChange() {
        Queue<KeyEvent> events = new ConcurrentLinkedQueue<>();
        try (Subscription failing = store().subscribe(e -> {
            throw new IllegalStateException("listener bug");
        }); Subscription ignored = store().subscribe(events::add)) {
            String first = create("first").key().id();
            awaitEvent(events, KeyEvent.Type.CREATED, first);
            String second = create("second").key().id();
            awaitEvent(events, KeyEvent.Type.CREATED, second);
            assertThat(store().find(first)).isPresent();
        }
    }

    @Test
    default void events_reachSubscribersOnAnotherNode() {
        KeyStore peer = openPeer();
        assumeTrue(peer != null, "this store has no second node to subscribe on");
        Queue<KeyEvent> events = new ConcurrentLinkedQueue<>();
        try (Subscription ignored = peer.subscribe(events::add)) {
            String id = create("shared").key().id();
            awaitEvent(events, KeyEvent.Type.CREATED, id);
            assertThat(peer.find(id)).isPresent();

            manager().rotate(Actor.ROOT, id, true, null);
            awaitEvent(events, KeyEvent.Type.UPDATED, id);
            store().delete(id);
            awaitEvent(events, KeyEvent.Type.DELETED, id);
            assertThat(peer.find(id)).isEmpty();
        }
    }

    private void awaitEvent(Queue<KeyEvent> events, KeyEvent.Type type, String id) {
        await().atMost(eventTimeout())
                .until(() -> events.stream().anyMatch(e -> e.type() == type && id.equals(e.keyId())));
    }
}
