package dev.latchkey.bench;

import dev.latchkey.core.InMemoryKeyStore;
import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.engine.Allow;
import dev.latchkey.engine.AuthRequest;
import dev.latchkey.engine.AuthSettings;
import dev.latchkey.engine.Authenticator;
import dev.latchkey.engine.Decision;
import dev.latchkey.gateway.AddressBlocks;
import dev.latchkey.gateway.Answer;
import dev.latchkey.gateway.GatewayAuthorizer;
import java.time.Clock;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The gateway's hot path for a cached key ({@code gateway_forward}: client check, the forwarded method and URI read
 * and cut, the engine's decision, the five identity headers of the answer) against the engine's own
 * {@code authenticate} of the same original request ({@code baseline_engine}), both through a trusted hop with
 * {@code X-Forwarded-For}. Goal (issue #14): {@code gateway_forward / baseline_engine} ≤ 1.2.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@Threads(2)
public class GatewayBenchmark {

    private InMemoryKeyStore store;
    private Authenticator engine;
    private GatewayAuthorizer gateway;
    private Map<String, List<String>> askHeaders;
    private Map<String, List<String>> originalHeaders;
    private AuthRequest original;

    @Setup(Level.Trial)
    public void setUp() {
        store = new InMemoryKeyStore();
        KeyManager manager = new KeyManager(store, TokenCodec.defaults(), SecretHasher.sha256(), Clock.systemUTC(),
                Runnable::run);
        IssuedKey key = manager.create(Actor.ROOT, CreateKeyRequest.named("bench")
                .withScopes(List.of("reports:read", "billing:read")));
        engine = Authenticator.builder(store).settings(AuthSettings.builder()
                .scopes("GET /reports/** reports:read; POST /reports/** reports:write")
                .trustedProxies("127.0.0.1/32").build()).build();
        gateway = new GatewayAuthorizer(engine, AddressBlocks.parse("127.0.0.1/32"), Clock.systemUTC());
        askHeaders = Map.of(
                "authorization", List.of("Bearer " + key.token()),
                "x-forwarded-method", List.of("GET"),
                "x-forwarded-uri", List.of("/reports/42?page=2"),
                "x-forwarded-for", List.of("203.0.113.7"),
                "host", List.of("127.0.0.1:8090"));
        originalHeaders = Map.of(
                "authorization", List.of("Bearer " + key.token()),
                "x-forwarded-for", List.of("203.0.113.7"),
                "host", List.of("api.example.com"));
        original = new AuthRequest() {
            @Override
            public String method() {
                return "GET";
            }

            @Override
            public String requestUri() {
                return "/reports/42";
            }

            @Override
            public Iterator<String> headers(String name) {
                return values(originalHeaders, name);
            }

            @Override
            public @Nullable String remoteAddress() {
                return "127.0.0.1";
            }
        };
        if (!(engine.authenticate(original) instanceof Allow) || gateway_forward().status() != 200) {
            throw new IllegalStateException("the benchmark key is not allowed");
        }
    }

    static Iterator<String> values(Map<String, List<String>> headers, String name) {
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null ? Collections.emptyIterator() : v.iterator();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engine.close();
        store.close();
    }

    @Benchmark
    public Decision baseline_engine() {
        return engine.authenticate(original);
    }

    @Benchmark
    public Answer gateway_forward() {
        return gateway.authorize(GatewayAuthorizer.Door.FORWARD, "GET", "/v1/authorize",
                name -> values(askHeaders, name), "127.0.0.1");
    }
}
