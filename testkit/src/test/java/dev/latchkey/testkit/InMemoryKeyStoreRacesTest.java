package dev.latchkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.InMemoryKeyStore;
import dev.latchkey.core.KeyStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The concurrency checker ({@link KeyStoreRaces}, #21) on the in-memory store, and on a broken one it must catch. */
@Tag("concurrency")
class InMemoryKeyStoreRacesTest {

    @Test
    void racingCreatesRotationsTogglesResetsAndDeletes_withVerifiers_leaveAStateASerialOrderGives() throws Exception {
        for (long seed = 1; seed <= 2; seed++) {
            try (InMemoryKeyStore store = new InMemoryKeyStore()) {
                var survivors = new KeyStoreRaces(store).runAndCheck(new KeyStoreRaces.Load(6, 2, 300, 600, seed));
                assertThat(survivors).isNotEmpty();
            }
        }
    }

    @Test
    void withSlowReads_everyChangeRacesAnother_andTheStateIsStillOneASerialOrderGives() throws Exception {
        try (InMemoryKeyStore store = new InMemoryKeyStore()) {
            var survivors = new KeyStoreRaces(slowReads(store, false))
                    .runAndCheck(new KeyStoreRaces.Load(6, 2, 80, 200, 3));
            assertThat(survivors).isNotEmpty();
        }
    }

    @Test
    void theChecker_catchesAStoreThatLosesUpdates() {
        try (InMemoryKeyStore store = new InMemoryKeyStore()) {
            assertThatThrownBy(() -> new KeyStoreRaces(slowReads(store, true))
                    .runAndCheck(new KeyStoreRaces.Load(6, 0, 80, 0, 1)))
                    .isInstanceOf(AssertionError.class);
        }
    }

    /**
     * The store with a millisecond's pause after each read by id, so a read-modify-write nearly always overlaps
     * another; with {@code loseUpdates}, replace also ignores the expected version, as a store without
     * compare-and-set would.
     */
    private static KeyStore slowReads(InMemoryKeyStore store, boolean loseUpdates) {
        return (KeyStore) Proxy.newProxyInstance(KeyStore.class.getClassLoader(), new Class<?>[] {KeyStore.class},
                (proxy, method, args) -> {
                    if (loseUpdates && method.getName().equals("replace")) {
                        ApiKey updated = (ApiKey) args[0];
                        return store.find(updated.id())
                                .map(now -> store.replace(updated.toBuilder().version(now.version() + 1).build(),
                                        now.version()))
                                .orElse(false);
                    }
                    try {
                        Object answer = method.invoke(store, args);
                        if (method.getName().equals("find")) {
                            Thread.sleep(1);
                        }
                        return answer;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
