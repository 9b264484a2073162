package dev.latchkey.bench;

import dev.latchkey.core.InMemoryKeyStore;
import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.UsageOutcome;
import dev.latchkey.core.UsageRecorder;
import dev.latchkey.core.UsageSink;
import dev.latchkey.core.Verification;
import dev.latchkey.core.Verifier;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.IpRuleInput;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.core.internal.IpAddresses;
import dev.latchkey.engine.Allow;
import dev.latchkey.engine.Authenticator;
import dev.latchkey.engine.Decision;
import dev.latchkey.engine.KeyCache;
import inet.ipaddr.IPAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
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
 * What per-minute usage history (issue #16) adds to the cached verification, in one run. The engine's
 * {@link Authenticator} always counts history (its {@link UsageRecorder} bumps the key's minute with every use), so
 * history cannot be switched off there; the comparison is made one level down, on core's {@link Verifier} over the
 * same {@link KeyCache}, key and token, with three usage sinks:
 * <ul>
 *   <li>{@code verify_noCount}: {@link UsageSink#NONE}, the verification alone;</li>
 *   <li>{@code verify_usesOnly}: {@link UsesOnlySink}, the use count as the recorder kept it before #16 (the same
 *       steps as {@link UsageRecorder}'s use counting: the key's counter, its last use, a compare-and-set, the
 *       pending-use adder), without the minute;</li>
 *   <li>{@code verify_history}: the real {@link UsageRecorder} (uses and the key's minute bucket), which is what
 *       {@code VerifierBenchmark.verify_cached} and the engine run today.</li>
 * </ul>
 * The record calls alone ({@code record_usesOnly}, {@code record_history}) isolate the counting, and
 * {@code refused_history} is the recorder's history-only count of a refused request (the whole cost history adds to a
 * 403 or 429). {@code engine_verify} is the engine's cached {@code verify} (history on) of the same kind of key, so
 * {@code (verify_history - verify_usesOnly) / engine_verify} is history's share of the engine's cached path.
 * In-memory store, flush every second (off the measured threads). Run with {@code -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@Threads(1)
public class HistoryBenchmark {

    private final SecretHasher hasher = SecretHasher.sha256();
    private final IPAddress client = Objects.requireNonNull(IpAddresses.parseAddress("203.0.113.7"));
    private final String clientIp = IpAddresses.canonical(client);
    private final List<String> required = List.of("reports:read");
    private final Clock clock = Clock.systemUTC();
    private InMemoryKeyStore store;
    private KeyCache cache;
    private UsageRecorder recorder;
    private UsesOnlySink usesOnly;
    private Verifier none;
    private Verifier uses;
    private Verifier history;
    private Authenticator engine;
    private String token = "";
    private String keyId = "";

    @Setup(Level.Trial)
    public void setUp() {
        store = new InMemoryKeyStore();
        cache = KeyCache.builder(store).build();
        recorder = UsageRecorder.builder(store).flushInterval(Duration.ofSeconds(1)).build();
        usesOnly = new UsesOnlySink();
        none = new Verifier(cache, TokenCodec.defaults(), hasher, clock, UsageSink.NONE);
        uses = new Verifier(cache, TokenCodec.defaults(), hasher, clock, usesOnly);
        history = new Verifier(cache, TokenCodec.defaults(), hasher, clock, recorder);
        KeyManager manager = new KeyManager(store, TokenCodec.defaults(), hasher, clock, Runnable::run);
        IssuedKey key = manager.create(Actor.ROOT, CreateKeyRequest.named("bench")
                .withScopes(List.of("reports:*"))
                .withIpRestrictions(List.of(new IpRuleInput("203.0.113.0/24", null, null))));
        token = key.token();
        keyId = key.key().id();
        engine = Authenticator.builder(store).build();
        for (Verifier v : new Verifier[] {none, uses, history}) {
            if (!v.verify(token, client, required).valid()) {
                throw new IllegalStateException("the benchmark key does not verify");
            }
        }
        if (!(engine.verify(token, client, required, null) instanceof Allow)) {
            throw new IllegalStateException("the engine does not allow the benchmark key");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        long counted = usesOnly.total();
        engine.close();
        recorder.close();
        cache.close();
        store.close();
        if (counted == 0) {
            throw new IllegalStateException("the uses-only sink counted nothing");
        }
    }

    @Benchmark
    public Verification verify_noCount() {
        return none.verify(token, client, required);
    }

    @Benchmark
    public Verification verify_usesOnly() {
        return uses.verify(token, client, required);
    }

    @Benchmark
    public Verification verify_history() {
        return history.verify(token, client, required);
    }

    @Benchmark
    public Decision engine_verify() {
        return engine.verify(token, client, required, null);
    }

    @Benchmark
    public void record_usesOnly() {
        usesOnly.record(keyId, clock.millis(), clientIp);
    }

    @Benchmark
    public void record_history() {
        recorder.record(keyId, clock.millis(), clientIp);
    }

    @Benchmark
    public void refused_history() {
        recorder.refused(keyId, clock.millis(), UsageOutcome.DENIED);
    }

    /**
     * Counts uses the way {@link UsageRecorder} counts them, without per-minute history: per key a counter found in a
     * {@link ConcurrentHashMap}, the last use and address written only when they change, the count raised by
     * compare-and-set, and a {@link LongAdder} of pending uses. Nothing is ever flushed (a flush runs off the request
     * threads once a second and is not what is measured here).
     */
    static final class UsesOnlySink implements UsageSink {

        /** One key's uses since the last flush. */
        private static final class Counter {
            final AtomicLong count = new AtomicLong();
            volatile long lastUsedAtMillis;
            volatile @Nullable String lastUsedIp;
        }

        private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
        private final LongAdder pending = new LongAdder();

        @Override
        public void record(String keyId, Instant at, @Nullable String clientIp) {
            record(keyId, at.toEpochMilli(), clientIp);
        }

        @Override
        public void record(String keyId, long millis, @Nullable String clientIp) {
            Counter c = counters.computeIfAbsent(keyId, k -> new Counter());
            long last = c.lastUsedAtMillis;
            if (millis > last || millis == last && !Objects.equals(clientIp, c.lastUsedIp)) {
                c.lastUsedAtMillis = millis;
                c.lastUsedIp = clientIp;
            }
            while (true) {
                long n = c.count.get();
                if (c.count.compareAndSet(n, n + 1)) {
                    pending.increment();
                    return;
                }
            }
        }

        long total() {
            return pending.sum();
        }
    }
}
