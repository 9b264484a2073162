package dev.latchkey.bench;

import dev.latchkey.core.InMemoryKeyStore;
import dev.latchkey.core.KeyResolver;
import dev.latchkey.core.SecretHash;
import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.UsageRecorder;
import dev.latchkey.core.Verification;
import dev.latchkey.core.Verifier;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.core.internal.IpAddresses;
import dev.latchkey.engine.KeyCache;
import inet.ipaddr.IPAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * The cost of one cached verification (the filter's hot path: checksum, Caffeine lookup, constant-time hash
 * comparison, status, IP rule, scope, in-memory usage count) against its unavoidable part, hashing the token once
 * ({@code baseline_hashToken}). The ratio {@code verify_cached / baseline_hashToken} says how much Latchkey adds on
 * top of the SHA-256 any correct implementation must compute. {@code floor} is the least any key check can do: one map
 * lookup by key id, the SHA-256, one constant-time comparison (no status, expiry, IP rule, scope or usage).
 * {@code verify_direct} reads the in-memory store on every call, for comparison. Run with {@code -prof gc} to see the
 * allocation per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@Threads(2)
public class VerifierBenchmark {

    private final SecretHasher hasher = SecretHasher.sha256();
    private final TokenCodec codec = TokenCodec.defaults();
    private final IPAddress client = java.util.Objects.requireNonNull(IpAddresses.parseAddress("203.0.113.7"));
    private InMemoryKeyStore store;
    private KeyCache cache;
    private UsageRecorder usage;
    private Verifier cached;
    private Verifier direct;
    private String token = "";
    private Map<String, SecretHash> hashes = Map.of();
    private final List<String> required = List.of("reports:read");

    @Setup(Level.Trial)
    public void setUp() {
        store = new InMemoryKeyStore();
        cache = KeyCache.builder(store).build();
        usage = UsageRecorder.builder(store).flushInterval(Duration.ofSeconds(1)).build();
        cached = new Verifier(cache, TokenCodec.defaults(), hasher, Clock.systemUTC(), usage);
        direct = new Verifier(KeyResolver.direct(store), TokenCodec.defaults(), hasher, Clock.systemUTC(), usage);
        KeyManager manager = new KeyManager(store, TokenCodec.defaults(), hasher, Clock.systemUTC(), Runnable::run);
        IssuedKey key = manager.create(Actor.ROOT, CreateKeyRequest.named("bench")
                .withScopes(List.of("reports:*"))
                .withIpRestrictions(List.of(new dev.latchkey.core.admin.IpRuleInput("203.0.113.0/24", null, null))));
        token = key.token();
        hashes = new java.util.HashMap<>(Map.of(key.key().id(), hasher.hash(token)));
        if (!floor()) {
            throw new IllegalStateException("the floor does not match");
        }
        if (!cached.verify(token, client, required).valid()) {
            throw new IllegalStateException("the benchmark key does not verify");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        usage.close();
        cache.close();
        store.close();
    }

    @Benchmark
    public SecretHash baseline_hashToken() {
        return hasher.hash(token);
    }

    /** Map lookup by key id + one SHA-256 + one constant-time comparison: the least any key check can do. */
    @Benchmark
    public boolean floor() {
        SecretHash stored = hashes.get(codec.keyIdOf(token));
        return stored != null && stored.matches(hasher.hash(token));
    }

    @Benchmark
    public Verification verify_cached() {
        return cached.verify(token, client, required);
    }

    @Benchmark
    public Verification verify_direct() {
        return direct.verify(token, client, required);
    }
}
