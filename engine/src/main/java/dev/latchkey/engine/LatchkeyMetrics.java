package dev.latchkey.engine;

import dev.latchkey.core.UsageRecorder;
import dev.latchkey.core.VerifyCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The authentication and usage meters of API.md §6, shared by the servlet filter and the admin API's verify
 * endpoint so both report under the same names:
 * <ul>
 *   <li>{@code latchkey.auth.requests} (counter, tag {@code outcome}: a {@link VerifyCode} wire name, or one of
 *       {@link Outcome#MISSING}, {@link Outcome#INVALID_REQUEST}, {@link Outcome#STORE_UNAVAILABLE});</li>
 *   <li>{@code latchkey.auth.duration} (timer);</li>
 *   <li>{@code latchkey.auth.previous_token} (counter: grants with a rotated-out token inside its grace window);</li>
 *   <li>{@code latchkey.usage.pending} (gauge) and {@code latchkey.usage.flushes} (timer, tag {@code result}:
 *       {@code success} or {@code failure}), bound to a core {@link UsageRecorder}.</li>
 * </ul>
 * No meter is tagged with a key id, a token, a path or an address. {@link #close()} removes every meter this
 * instance registered, so a redeployed web app leaves nothing behind.
 *
 * <p>Two instances on one registry with the same tags share their counters (Micrometer identifies meters by name and
 * tags); pass distinguishing {@linkplain #create(MeterRegistry, Iterable) tags}, or use
 * {@link #createDistinct(MeterRegistry, Iterable, String, String)}, to keep them apart. Thread-safe.
 *
 * @since 0.1
 */
public final class LatchkeyMetrics implements AutoCloseable {

    /** Outcomes of an authentication attempt that are not a {@link VerifyCode}. */
    public enum Outcome {
        /** No token in the request. */
        MISSING("missing"),
        /** A request the filter refused before verification (for example two different tokens). */
        INVALID_REQUEST("invalid_request"),
        /** The store could not be reached and no cached copy could be served (503). */
        STORE_UNAVAILABLE("store_unavailable"),
        /** A client address past its failed-authentication limit, refused before any store read (429). */
        TOO_MANY_FAILURES("too_many_failures");

        private final String wire;

        Outcome(String wire) {
            this.wire = wire;
        }

        /** Returns the value of the {@code outcome} tag. */
        public String wire() {
            return wire;
        }
    }

    static final String REQUESTS = "latchkey.auth.requests";
    static final String DURATION = "latchkey.auth.duration";
    static final String PREVIOUS_TOKEN = "latchkey.auth.previous_token";
    static final String PENDING = "latchkey.usage.pending";
    static final String FLUSHES = "latchkey.usage.flushes";

    private final MeterRegistry registry;
    private final Tags tags;
    private final Map<VerifyCode, Counter> byCode = new EnumMap<>(VerifyCode.class);
    private final Map<Outcome, Counter> byOutcome = new EnumMap<>(Outcome.class);
    private final Timer duration;
    private final Counter previousToken;
    private final Timer flushOk;
    private final Timer flushFailed;
    private final List<Meter> meters = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private LatchkeyMetrics(MeterRegistry registry, Tags tags) {
        this.registry = registry;
        this.tags = tags;
        for (VerifyCode code : VerifyCode.values()) {
            byCode.put(code, requests(code.wire()));
        }
        for (Outcome o : Outcome.values()) {
            byOutcome.put(o, requests(o.wire()));
        }
        this.duration = keep(Timer.builder(DURATION)
                .description("Time to authenticate a request: token parsing, key lookup and checks")
                .tags(tags)
                .register(registry));
        this.previousToken = keep(Counter.builder(PREVIOUS_TOKEN)
                .description("Requests granted with a rotated-out token inside its grace window")
                .tags(tags)
                .register(registry));
        this.flushOk = flushTimer("success");
        this.flushFailed = flushTimer("failure");
    }

    /** Registers the meters on a registry. */
    public static LatchkeyMetrics create(MeterRegistry registry) {
        return create(registry, Tags.empty());
    }

    /**
     * Registers the meters on a registry with extra tags on each (bounded values only, never key ids or tokens).
     */
    public static LatchkeyMetrics create(MeterRegistry registry, Iterable<Tag> tags) {
        return new LatchkeyMetrics(Objects.requireNonNull(registry, "registry"), Tags.of(tags));
    }

    /**
     * Registers the meters on a registry with extra tags, keeping them apart from any Latchkey meters already live on
     * that registry: when another instance (another filter, another web app) holds meters with the same tags, this one
     * adds {@code tagKey=instanceName} (then {@code instanceName-2}, {@code -3}, ...) so the two never share a
     * counter and closing one never removes the other's meters. The usual single instance keeps exactly the tags it
     * was given. Check {@link #tags()} for the tags chosen.
     *
     * <p>A Prometheus registry exports only meters whose tag keys match the first meter of that name; give each
     * instance its own tags up front when several are expected on one such registry.
     */
    public static LatchkeyMetrics createDistinct(MeterRegistry registry, Iterable<Tag> tags, String tagKey,
            String instanceName) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(tagKey, "tagKey");
        Objects.requireNonNull(instanceName, "instanceName");
        Tags base = Tags.of(tags);
        synchronized (LatchkeyMetrics.class) {
            Tags chosen = base;
            for (int n = 1; taken(registry, chosen); n++) {
                chosen = base.and(tagKey, n == 1 ? instanceName : instanceName + "-" + n);
            }
            return new LatchkeyMetrics(registry, chosen);
        }
    }

    /** Returns whether live {@code latchkey.auth.requests} meters carry exactly {@code tags} (besides outcome). */
    private static boolean taken(MeterRegistry registry, Tags tags) {
        for (Meter m : registry.find(REQUESTS).meters()) {
            List<Tag> others = new java.util.ArrayList<>(m.getId().getTags());
            others.removeIf(t -> t.getKey().equals("outcome"));
            if (Tags.of(others).equals(tags)) {
                return true;
            }
        }
        return false;
    }

    /** Returns the tags every meter of this instance carries (besides its own {@code outcome} or {@code result}). */
    public Tags tags() {
        return tags;
    }

    /** Returns the registry the meters are on. */
    public MeterRegistry registry() {
        return registry;
    }

    private Counter requests(String outcome) {
        return keep(Counter.builder(REQUESTS)
                .description("Authentication attempts by outcome")
                .tags(tags)
                .tag("outcome", outcome)
                .register(registry));
    }

    private Timer flushTimer(String result) {
        return keep(Timer.builder(FLUSHES)
                .description("Writes of counted key uses to the store")
                .tags(tags)
                .tag("result", result)
                .register(registry));
    }

    private <M extends Meter> M keep(M meter) {
        meters.add(meter);
        return meter;
    }

    /**
     * Returns a flush listener for {@link UsageRecorder.Builder#listener} that times each flush.
     */
    public UsageRecorder.FlushListener flushListener() {
        return (keys, uses, took, error) -> (error == null ? flushOk : flushFailed).record(took);
    }

    /** Publishes {@code latchkey.usage.pending} for a recorder (uses counted but not yet written). */
    public void bindUsage(UsageRecorder recorder) {
        Objects.requireNonNull(recorder, "recorder");
        keep(Gauge.builder(PENDING, recorder, UsageRecorder::pending)
                .description("Key uses counted in memory and not yet written to the store")
                .tags(tags)
                .strongReference(false)
                .register(registry));
    }

    /** Counts one verification outcome and its duration. */
    public void recorded(VerifyCode code, long nanos) {
        byCode.get(Objects.requireNonNull(code, "code")).increment();
        duration.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Counts one outcome that is not a verification, and its duration. */
    public void recorded(Outcome outcome, long nanos) {
        byOutcome.get(Objects.requireNonNull(outcome, "outcome")).increment();
        duration.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Counts a grant made with a rotated-out token inside its grace window. */
    public void previousTokenUsed() {
        previousToken.increment();
    }

    /** Returns the count of one outcome so far (for tests and diagnostics). */
    public double count(VerifyCode code) {
        return byCode.get(code).count();
    }

    /** Returns the count of one outcome so far (for tests and diagnostics). */
    public double count(Outcome outcome) {
        return byOutcome.get(outcome).count();
    }

    /** Returns the timer of flushes that succeeded, or of those that failed (for tests). */
    Timer flushes(boolean ok) {
        return ok ? flushOk : flushFailed;
    }

    /** Removes every meter this instance registered from the registry. Closing twice is harmless. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Meter m : meters) {
            registry.remove(m);
        }
        meters.clear();
    }
}
