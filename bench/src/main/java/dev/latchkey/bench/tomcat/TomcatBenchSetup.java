package dev.latchkey.bench.tomcat;

import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.redis.RedisKeyStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import java.util.List;

/**
 * Prepares the Redis of {@code bench/run-tomcat.sh}: one Latchkey key (scope {@code bench:read}, no pepper, default
 * key prefix) and, for {@link RedisLookupFilter}, {@code hw:<id>} = the SHA-256 of the same token. Prints
 * {@code token <token>}. Usage: {@code TomcatBenchSetup redis://127.0.0.1:PORT}.
 */
public final class TomcatBenchSetup {

    private TomcatBenchSetup() {
    }

    /** Creates the key and prints its token. */
    public static void main(String[] args) {
        String url = args[0];
        SecretHasher hasher = SecretHasher.sha256();
        try (RedisKeyStore store = RedisKeyStore.builder().uri(url).build()) {
            KeyManager manager = new KeyManager(store, TokenCodec.defaults(), hasher, Clock.systemUTC(),
                    Runnable::run);
            IssuedKey key = manager.create(Actor.ROOT, CreateKeyRequest.named("tomcat-bench")
                    .withScopes(List.of("bench:read")));
            RedisClient client = RedisClient.create(url);
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                c.sync().set("hw:" + key.key().id(), hasher.hash(key.token()).hex());
            } finally {
                client.shutdown();
            }
            System.out.println("token " + key.token());
        }
    }
}
