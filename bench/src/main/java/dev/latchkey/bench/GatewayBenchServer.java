package dev.latchkey.bench;

import dev.latchkey.core.InMemoryKeyStore;
import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.engine.AuthSettings;
import dev.latchkey.gateway.GatewayServer;
import dev.latchkey.gateway.GatewaySettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The gateway service for {@code bench/gateway-nginx.sh}: on an in-memory store holding one key with
 * {@code reports:read}, with the rule {@code GET /reports/** reports:read}. Prints {@code port <port>} and
 * {@code token <token>} on standard output (a throwaway key of a throwaway store), then runs until killed.
 * Argument: the port (default 8090).
 */
public final class GatewayBenchServer {

    private GatewayBenchServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8090;
        InMemoryKeyStore store = new InMemoryKeyStore();
        KeyManager manager = new KeyManager(store, TokenCodec.defaults(), SecretHasher.sha256(), Clock.systemUTC(),
                Runnable::run);
        IssuedKey key = manager.create(Actor.ROOT, CreateKeyRequest.named("bench").withScopes(List.of("reports:read")));
        GatewayServer server = GatewayServer.start(GatewaySettings.of(port, AuthSettings.builder()
                .scopes("GET /reports/** reports:read").trustedProxies("127.0.0.1/32").build()), store,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        System.out.println("port " + server.port());
        System.out.println("token " + key.token());
        System.out.flush();
        stopped.await();
    }
}
