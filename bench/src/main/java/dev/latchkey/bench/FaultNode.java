package dev.latchkey.bench;

import dev.latchkey.core.KeyStore;
import dev.latchkey.core.StoreUnavailableException;
import dev.latchkey.core.UsageBatch;
import dev.latchkey.filter.ApiKeyFilter;
import dev.latchkey.redis.RedisKeyStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.Server;

/**
 * One filter node of the fault soak: embedded Jetty on a loopback port serving {@code /api/*} behind
 * {@link ApiKeyFilter}, on a {@link RedisKeyStore} of its own (its own connections, pub/sub subscription and cache),
 * with the store's and the filter's default settings.
 *
 * <p>{@link #loseNextUsageAck(Runnable)} arms the one fault Redis cannot be made to do from outside: the next usage
 * flush is written to Redis, then {@code crash} runs (it kills Redis) and the flush fails as if the reply had been
 * lost, so the node retries a batch Redis already applied.
 */
final class FaultNode implements AutoCloseable {

    private final String name;
    private final RedisKeyStore store;
    private final ApiKeyFilter filter;
    private final Server server;
    private final int port;
    private final AtomicReference<Runnable> crashAfterNextFlush = new AtomicReference<>();

    FaultNode(String name, String redisUrl) throws Exception {
        this.name = name;
        this.store = RedisKeyStore.builder().uri(redisUrl).build();
        KeyStore watched = (KeyStore) Proxy.newProxyInstance(KeyStore.class.getClassLoader(),
                new Class<?>[] {KeyStore.class}, (proxy, method, args) -> {
                    try {
                        Object result = method.invoke(store, args);
                        if (method.getName().equals("recordUsage") && args[0] instanceof UsageBatch) {
                            Runnable crash = crashAfterNextFlush.getAndSet(null);
                            if (crash != null) {
                                crash.run();
                                throw new StoreUnavailableException("the usage flush's reply was lost");
                            }
                        }
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        this.filter = ApiKeyFilter.builder(watched)
                .scopes("GET /api/** reports:read")
                .meterRegistry(new SimpleMeterRegistry())
                .build();
        LoopbackJetty jetty = LoopbackJetty.start(filter);
        this.server = jetty.server();
        this.port = jetty.port();
    }

    String name() {
        return name;
    }

    String url() {
        return "http://127.0.0.1:" + port + "/api/reports";
    }

    /** Arms the lost-acknowledgement fault for the next usage flush. */
    void loseNextUsageAck(Runnable crash) {
        crashAfterNextFlush.set(crash);
    }

    /** Whether the armed fault has fired. */
    boolean ackFaultFired() {
        return crashAfterNextFlush.get() == null;
    }

    /** Stops cleanly: Jetty first, then the filter (which flushes counted uses), then the store. */
    @Override
    public void close() throws Exception {
        server.stop();
        filter.destroy();
        store.close();
    }
}
