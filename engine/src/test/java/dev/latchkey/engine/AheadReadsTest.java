package dev.latchkey.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.KeyManager;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tests for {@link AheadReads} through {@link KeyCache}: a key in use is read again in the background before its ttl
 * runs out, while its copy is served, on a real in-memory store, a hand-moved ticker and an executor run by hand.
 */
class AheadReadsTest {

    private static final Duration TTL = Duration.ofSeconds(60);

    private final CountingKeyStore store = new CountingKeyStore();
    private final KeyManager manager = new KeyManager(store, TokenCodec.defaults(), SecretHasher.sha256(),
            Clock.systemUTC(), Runnable::run);
    private final FakeTicker ticker = new FakeTicker();
    private final Queue<Runnable> background = new ArrayDeque<>();
    private final KeyCache cache = KeyCache.builder(store).ttl(TTL).ticker(ticker).evictionExecutor(background::add)
            .build();

    @AfterEach
    void close() {
        cache.close();
        store.close();
    }

    private static String within(String id) {
        return "lk_live_" + id + "SECRET";
    }

    private @org.jspecify.annotations.Nullable ApiKey serve(String id) {
        return cache.byIdWithin(within(id), 8);
    }

    private void runBackground() {
        for (Runnable r = background.poll(); r != null; r = background.poll()) {
            r.run();
        }
    }

    @Test
    void keyInUse_pastFourFifthsOfItsTtl_isReadAgainInTheBackground_whileItsCopyIsServed() {
        ApiKey key = manager.create(Actor.ROOT, CreateKeyRequest.named("busy")).key();
        assertThat(serve(key.id())).isNotNull();
        assertThat(store.finds).hasValue(1);

        ticker.advance(Duration.ofSeconds(47));
        assertThat(serve(key.id())).isNotNull();
        assertThat(background).isEmpty();

        ticker.advance(Duration.ofSeconds(2)); // 49 s: past 80 % of the ttl
        assertThat(serve(key.id())).extracting(ApiKey::id).isEqualTo(key.id());
        assertThat(serve(key.id())).isNotNull();
        assertThat(store.finds).as("the requests did not wait for a read").hasValue(1);
        assertThat(background).as("one background read, however many requests").hasSize(1);

        runBackground();
        assertThat(store.finds).hasValue(2);

        ticker.advance(Duration.ofSeconds(21)); // 70 s: past the first copy's ttl, 21 s into the new one's
        assertThat(cache.heldWithin(within(key.id()), 8)).as("the front table holds the new copy").isNotNull();
        assertThat(serve(key.id())).isNotNull();
        assertThat(store.finds).hasValue(2);
        assertThat(background).isEmpty();
    }

    @Test
    void failedBackgroundRead_keepsTheCopyToItsTtl_andIsTriedAgainAfterABackoff() {
        ApiKey key = manager.create(Actor.ROOT, CreateKeyRequest.named("busy")).key();
        serve(key.id());
        ticker.advance(Duration.ofSeconds(50));
        serve(key.id());
        store.down = true;
        runBackground(); // fails quietly

        assertThat(serve(key.id())).as("still within its ttl").isNotNull();
        assertThat(background).as("backing off").isEmpty();
        ticker.advance(KeyCache.ERROR_BACKOFF.plusMillis(1));
        assertThat(serve(key.id())).isNotNull();
        assertThat(background).hasSize(1);

        store.down = false;
        int before = store.finds.get();
        runBackground();
        assertThat(store.finds.get()).isEqualTo(before + 1);
        ticker.advance(Duration.ofSeconds(30)); // 81 s: the first copy would be gone; the renewed one serves
        assertThat(cache.heldWithin(within(key.id()), 8)).isNotNull();
    }
}
