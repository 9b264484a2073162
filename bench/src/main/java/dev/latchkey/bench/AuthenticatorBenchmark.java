package dev.latchkey.bench;

import dev.latchkey.core.InMemoryKeyStore;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.IpRuleInput;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.core.admin.RateLimitInput;
import dev.latchkey.core.internal.IpAddresses;
import dev.latchkey.engine.Allow;
import dev.latchkey.engine.AuthRequest;
import dev.latchkey.engine.AuthSettings;
import dev.latchkey.engine.Authenticator;
import dev.latchkey.engine.Decision;
import dev.latchkey.engine.Denial;
import inet.ipaddr.IPAddress;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * The engine's own cached path (issues #11 and #13), to be read beside {@link VerifierBenchmark} in the same run:
 * <ul>
 *   <li>{@code authenticate_unlimited}: {@link Authenticator#authenticate(AuthRequest)} of a request (a tiny
 *       {@link AuthRequest}, no servlet) with a cached key that has no rate limit or quota: path normalization, the
 *       {@code Authorization} header, a route rule, the socket address, the verification, the limit step (a key
 *       with no limit: one lookup), the usage count;</li>
 *   <li>{@code authenticate_memoryDenied}: the same request with a key whose rate limit (1 a day) this engine already
 *       learned is spent: a 429 from memory, with no store call (counted: the trial fails if the store is charged
 *       after setup);</li>
 *   <li>{@code verify_engine}: {@link Authenticator#verify} ({@code POST /v1/verify}'s path) of the unlimited key:
 *       the verification, the limit step and the usage count, without reading a request.</li>
 * </ul>
 * Both keys have the same scopes and IP rule as {@link VerifierBenchmark}'s, so {@code verify_engine -
 * VerifierBenchmark.verify_cached} is what the engine adds to core's verification, and
 * {@code authenticate_memoryDenied - authenticate_unlimited} what a memory verdict adds. In-memory store, no meter
 * registry. Run with {@code -prof gc}. Ten warm-up iterations: on the shared 2-core machine, with the load average
 * above 10, {@code authenticate} ran at about 10 µs of CPU per call for its first 6 to 8 seconds and at about 2 µs
 * after (the compiler threads get little CPU), so three were not enough.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@Threads(2)
public class AuthenticatorBenchmark {

    private final IPAddress client = Objects.requireNonNull(IpAddresses.parseAddress("203.0.113.7"));
    private final List<String> required = List.of("reports:read");
    private final AtomicLong charges = new AtomicLong();
    private InMemoryKeyStore store;
    private Authenticator engine;
    private AuthRequest unlimited;
    private AuthRequest denied;
    private String unlimitedToken = "";
    private long chargesAfterSetup;

    @Setup(Level.Trial)
    public void setUp() {
        store = new InMemoryKeyStore();
        KeyStore counted = countingCharges(store, charges);
        KeyManager manager = new KeyManager(store, TokenCodec.defaults(), SecretHasher.sha256(), Clock.systemUTC(),
                Runnable::run);
        CreateKeyRequest shape = CreateKeyRequest.named("bench")
                .withScopes(List.of("reports:*"))
                .withIpRestrictions(List.of(new IpRuleInput("203.0.113.0/24", null, null)));
        unlimitedToken = manager.create(Actor.ROOT, shape).token();
        String limitedToken = manager.create(Actor.ROOT, shape.withLimits(new RateLimitInput(1L, 86_400L), null))
                .token();
        engine = Authenticator.builder(counted).settings(AuthSettings.builder()
                .scopes("GET /reports/** reports:read; POST /reports/** reports:write").build()).build();
        unlimited = BenchRequests.get(unlimitedToken, "203.0.113.7");
        denied = BenchRequests.get(limitedToken, "203.0.113.7");
        if (!(engine.authenticate(unlimited) instanceof Allow)
                || !(engine.verify(unlimitedToken, client, required, null) instanceof Allow)) {
            throw new IllegalStateException("the unlimited key is not allowed");
        }
        // The first request spends the day's one unit; the second is refused by the store and remembered.
        if (!(engine.authenticate(denied) instanceof Allow)
                || !(engine.authenticate(denied) instanceof Denial d && d.status() == 429)) {
            throw new IllegalStateException("the limited key was not charged past its limit");
        }
        chargesAfterSetup = charges.get();
        if (!(engine.authenticate(denied) instanceof Denial again && again.status() == 429)
                || charges.get() != chargesAfterSetup) {
            throw new IllegalStateException("the 429 did not come from memory");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        long extra = charges.get() - chargesAfterSetup;
        engine.close();
        store.close();
        if (extra != 0) {
            throw new IllegalStateException(extra + " store charges during the measurement: not a memory verdict");
        }
    }

    @Benchmark
    public Decision authenticate_unlimited() {
        return engine.authenticate(unlimited);
    }

    @Benchmark
    public Decision authenticate_memoryDenied() {
        return engine.authenticate(denied);
    }

    @Benchmark
    public Decision verify_engine() {
        return engine.verify(unlimitedToken, client, required, null);
    }

    /** Returns the store as a {@link KeyStore} that counts its {@code charge} calls. */
    private static KeyStore countingCharges(KeyStore delegate, AtomicLong charges) {
        return (KeyStore) Proxy.newProxyInstance(KeyStore.class.getClassLoader(), new Class<?>[] {KeyStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("charge")) {
                        charges.incrementAndGet();
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
