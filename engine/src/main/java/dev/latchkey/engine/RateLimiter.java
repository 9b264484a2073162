package dev.latchkey.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.latchkey.core.ApiKey;
import dev.latchkey.core.ChargeResult;
import dev.latchkey.core.EffectiveLimits;
import dev.latchkey.core.KeyEvent;
import dev.latchkey.core.KeySource;
import dev.latchkey.core.StoreUnavailableException;
import dev.latchkey.core.Subscription;
import dev.latchkey.core.TenantDefaults;
import dev.latchkey.core.VerifyCode;
import dev.latchkey.core.internal.Ids;
import dev.latchkey.core.internal.LimitWindows;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Charges a verified request against its key's effective rate limit and quota (API.md §8), the engine's one place
 * for it. A key with neither (its own or its tenant's) costs a map lookup and nothing else. Otherwise:
 * <ul>
 *   <li><b>Memory first.</b> A node that learned a key is over its limit remembers it and denies from memory until
 *       the window ends or the balance refills, or until an event says the limits or the balance changed
 *       ({@code LIMITS_CHANGED}, any update of the key, a tenant-defaults change); a verdict only denies a cost above
 *       what was left, so a cheaper request still reaches the store.</li>
 *   <li><b>Else the store</b>, one atomic charge with a fresh request id (replays after a reconnect are charged
 *       once), bounded by {@code latchkey.rate-limit.store-timeout}.</li>
 *   <li><b>Store unreachable</b>: {@code local} enforces the rate limit from this node's memory (quotas answer 503),
 *       {@code open} admits, {@code closed} answers 503.</li>
 * </ul>
 * Tenant defaults are cached per tenant for the key cache's TTL and dropped at once on their change event; while the
 * store cannot be read, the last ones read are used (within stale-if-error, else none), and the store is asked again
 * after a second, not by every request.
 * Thread-safe.
 */
final class RateLimiter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);

    /** What a charge decided: a denial, or the headers to add to an admitted request. */
    record Outcome(@Nullable Denial denial, Map<String, String> headers, EffectiveLimits limits,
            @Nullable ChargeResult charge) {
    }

    /**
     * A denial this node remembers: it denies costs above {@code remaining} until {@code untilNanos}. Its answers are
     * worked out again from the store's verdict, with the time since {@code atNanos} added to the store's clock, so
     * {@code Retry-After} and the headers' {@code t} keep counting down to the window's end or the refill, however
     * long the verdict is kept.
     */
    private record Verdict(ChargeResult charge, long remaining, long atNanos, long untilNanos) {

        /** The store's time now, as the store would read it. */
        Instant storeTime(long nowNanos) {
            return charge.storeTime().plusNanos(nowNanos - atNanos);
        }
    }

    static final Outcome FREE = new Outcome(null, Map.of(), EffectiveLimits.NONE, null);

    private final KeySource store;
    private final boolean enabled;
    private final Clock clock;
    private final Ticker ticker;
    private final Denials denials;
    private final AuthSettings.OnStoreError onStoreError;
    private final Duration storeTimeout;
    private final long verdictLifeNanos;
    private final Cache<String, TenantDefaults> defaults;
    /** The defaults last read per tenant, served while the store cannot be read (within stale-if-error). */
    private final Cache<String, TenantDefaults> lastGood;
    /** Tenants whose defaults could not be read just now, with what is assumed meanwhile (1 s back-off). */
    private final Cache<String, TenantDefaults> unreadable;
    private final AtomicLong defaultsEpoch = new AtomicLong();
    private final Map<String, Verdict> verdicts = new ConcurrentHashMap<>();
    private final LocalLimiter local = new LocalLimiter();
    private final @Nullable RateLimitMetrics metrics;
    private final @Nullable Subscription subscription;

    RateLimiter(KeySource store, AuthSettings settings, Clock clock, Ticker ticker, Denials denials,
            @Nullable RateLimitMetrics metrics) {
        this.store = store;
        this.enabled = store.supportsLimits();
        this.clock = clock;
        this.ticker = ticker;
        this.denials = denials;
        this.onStoreError = settings.rateLimitOnStoreError();
        this.storeTimeout = settings.rateLimitStoreTimeout();
        this.verdictLifeNanos = settings.cacheTtl().toNanos();
        this.defaults = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(settings.cacheTtl())
                .ticker(ticker).build();
        this.lastGood = Caffeine.newBuilder().maximumSize(10_000)
                .expireAfterWrite(settings.cacheTtl().plus(settings.staleIfError())).ticker(ticker).build();
        this.unreadable = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofSeconds(1))
                .ticker(ticker).build();
        this.metrics = metrics;
        this.subscription = enabled ? store.subscribe(this::onEvent) : null;
    }

    /**
     * Charges one admitted request of a verified key.
     *
     * @param cost 0 to 1,000,000 units (a route's or verify's cost)
     */
    Outcome charge(ApiKey key, long cost) {
        if (!enabled) {
            return FREE;
        }
        EffectiveLimits limits = effective(key);
        if (limits == null) {
            return FREE;
        }
        long now = ticker.read();
        Verdict v = verdicts.get(key.id());
        if (v != null) {
            if (now - v.untilNanos() >= 0) {
                verdicts.remove(key.id(), v);
            } else if (cost > v.remaining()) {
                ChargeResult r = v.charge();
                Instant storeNow = v.storeTime(now);
                return denied(r.verdict(), retryAfter(r, storeNow), LimitHeaders.of(limits, r.rate(), r.quota(),
                        storeNow), limits, null, RateLimitMetrics.Source.MEMORY);
            }
        }
        ChargeResult r;
        try {
            r = callStore(key.id(), cost, limits);
        } catch (StoreUnavailableException e) {
            LOG.debug("Rate-limit charge of key {} fell back ({}): {}", key.id(), onStoreError, e.getMessage());
            return fallback(key, limits, cost);
        }
        if (metrics != null) {
            if (r.replayed()) {
                metrics.replayed();
            }
            if (r.refilled()) {
                metrics.refilled();
            }
        }
        Map<String, String> headers = LimitHeaders.of(limits, r.rate(), r.quota(), r.storeTime());
        switch (r.verdict()) {
            case ADMITTED -> {
                decided(RateLimitMetrics.Result.ALLOWED, RateLimitMetrics.Source.STORE);
                return new Outcome(null, headers, limits, r);
            }
            case UNKNOWN_KEY -> {
                return new Outcome(denials.of(VerifyCode.NOT_FOUND, List.of()), Map.of(), limits, r);
            }
            default -> {
                remember(key.id(), r, now);
                return denied(r.verdict(), r.retryAfterSeconds(), headers, limits, r, RateLimitMetrics.Source.STORE);
            }
        }
    }

    /** Returns the key's effective limits, or {@code null} when none applies (without allocating). */
    private @Nullable EffectiveLimits effective(ApiKey key) {
        TenantDefaults d = null;
        if (key.rateLimit() == null || key.quota() == null) {
            d = tenantDefaults(key.tenantId());
            if (key.rateLimit() == null && key.quota() == null && (d == null
                    || (d.rateLimit() == null && d.quota() == null))) {
                return null;
            }
        }
        return EffectiveLimits.of(key, d);
    }

    private @Nullable TenantDefaults tenantDefaults(String tenantId) {
        TenantDefaults d = defaults.getIfPresent(tenantId);
        if (d != null) {
            return d;
        }
        d = unreadable.getIfPresent(tenantId);
        if (d != null) {
            return d; // the store failed a moment ago: do not make every request wait for it again
        }
        long epoch = defaultsEpoch.get();
        try {
            d = store.tenantDefaults(tenantId);
        } catch (StoreUnavailableException e) {
            LOG.debug("Tenant defaults of {} unreadable: {}", tenantId, e.getMessage());
            TenantDefaults known = lastGood.getIfPresent(tenantId);
            TenantDefaults assumed = known != null ? known : TenantDefaults.none(tenantId);
            unreadable.put(tenantId, assumed);
            return assumed;
        }
        if (defaultsEpoch.get() == epoch) {
            defaults.put(tenantId, d);
            lastGood.put(tenantId, d);
        }
        return d;
    }

    /**
     * Charges on the calling thread, bounded by {@code latchkey.rate-limit.store-timeout} through the store's own
     * timed charge (no hand-off to another thread, which cost two thread switches per charged request).
     */
    private ChargeResult callStore(String keyId, long cost, EffectiveLimits limits) {
        String requestId = Ids.next();
        long start = System.nanoTime();
        try {
            return store.charge(keyId, requestId, cost, limits.rateLimit(), limits.quota(), storeTimeout);
        } catch (StoreUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StoreUnavailableException("the charge failed: " + e.getMessage(), e);
        } finally {
            if (metrics != null) {
                metrics.storeCall(System.nanoTime() - start);
            }
        }
    }

    private Outcome fallback(ApiKey key, EffectiveLimits limits, long cost) {
        if (onStoreError == AuthSettings.OnStoreError.OPEN) {
            decided(RateLimitMetrics.Result.ALLOWED, RateLimitMetrics.Source.FALLBACK);
            return new Outcome(null, Map.of(), limits, null);
        }
        if (onStoreError == AuthSettings.OnStoreError.CLOSED || limits.quota() != null) {
            return new Outcome(denials.storeUnavailable(), Map.of(), limits, null);
        }
        var rate = limits.rateLimit();
        Instant now = clock.instant();
        long t = now.getEpochSecond();
        long end = LimitWindows.windowEnd(t, rate.periodSeconds());
        long wait = LimitWindows.secondsUntil(now, end);
        long taken = local.take(key.id(), rate, cost, t);
        long left = taken >= 0 ? taken : local.left(key.id(), rate, t);
        Map<String, String> headers = LimitHeaders.of(limits,
                new ChargeResult.RateWindow(rate.limit(), left, wait, end), null, now);
        if (taken >= 0) {
            decided(RateLimitMetrics.Result.ALLOWED, RateLimitMetrics.Source.FALLBACK);
            return new Outcome(null, headers, limits, null);
        }
        return denied(ChargeResult.Verdict.RATE_LIMITED, wait, headers, limits, null,
                RateLimitMetrics.Source.FALLBACK);
    }

    /**
     * Remembers a store denial until the window ends or the balance refills, measured on the store's clock (the
     * verdict carries the store's time and the window's end), so it never outlives the window the store counts in.
     */
    private void remember(String keyId, ChargeResult r, long now) {
        long left;
        long remaining;
        if (r.verdict() == ChargeResult.Verdict.RATE_LIMITED && r.rate() != null) {
            remaining = r.rate().remaining();
            left = Duration.between(r.storeTime(), Instant.ofEpochSecond(r.rate().windowEnd())).toNanos();
        } else if (r.verdict() == ChargeResult.Verdict.QUOTA_EXCEEDED && r.quota() != null
                && r.quota().refillsAt() != null) {
            remaining = r.quota().remaining();
            left = Math.min(verdictLifeNanos, Duration.between(r.storeTime(), r.quota().refillsAt()).toNanos());
        } else if (r.verdict() == ChargeResult.Verdict.QUOTA_EXHAUSTED && r.quota() != null) {
            remaining = r.quota().remaining();
            left = verdictLifeNanos;
        } else {
            return;
        }
        if (left > 0) {
            verdicts.put(keyId, new Verdict(r, remaining, now, now + left));
        }
    }

    /** Whole seconds from {@code storeNow} until what denied {@code r} ends: the window, or the refill. */
    private static long retryAfter(ChargeResult r, Instant storeNow) {
        if (r.verdict() == ChargeResult.Verdict.RATE_LIMITED && r.rate() != null) {
            return LimitWindows.secondsUntil(storeNow, r.rate().windowEnd());
        }
        if (r.verdict() == ChargeResult.Verdict.QUOTA_EXCEEDED && r.quota() != null
                && r.quota().refillsAt() != null) {
            return LimitWindows.secondsUntil(storeNow, r.quota().refillsAt().getEpochSecond());
        }
        return 0;
    }

    private Outcome denied(ChargeResult.Verdict kind, long retryAfter, Map<String, String> headers,
            EffectiveLimits limits, @Nullable ChargeResult r, RateLimitMetrics.Source source) {
        Denial d;
        switch (kind) {
            case RATE_LIMITED -> {
                decided(RateLimitMetrics.Result.RATE_LIMITED, source);
                d = denials.rateLimited(retryAfter, headers);
            }
            case QUOTA_EXCEEDED -> {
                decided(RateLimitMetrics.Result.QUOTA_EXCEEDED, source);
                d = denials.quotaExceeded(retryAfter, headers);
            }
            default -> {
                decided(RateLimitMetrics.Result.QUOTA_EXHAUSTED, source);
                d = denials.quotaExhausted(headers);
            }
        }
        return new Outcome(d, headers, limits, r);
    }

    private void decided(RateLimitMetrics.Result result, RateLimitMetrics.Source source) {
        if (metrics != null) {
            metrics.decided(result, source);
        }
    }

    /* Runs on a store thread: touches only maps that never load, so it never blocks. */
    private void onEvent(KeyEvent event) {
        switch (event.type()) {
            case LIMITS_CHANGED, UPDATED, DELETED -> {
                if (event.keyId() != null) {
                    verdicts.remove(event.keyId());
                }
            }
            case TENANT_DEFAULTS_CHANGED -> {
                defaultsEpoch.incrementAndGet();
                if (event.tenantId() != null) {
                    defaults.invalidate(event.tenantId());
                    lastGood.invalidate(event.tenantId());
                }
                verdicts.clear();
            }
            case ALL_STALE -> {
                defaultsEpoch.incrementAndGet();
                defaults.invalidateAll();
                unreadable.invalidateAll();
                verdicts.clear();
                local.clear();
            }
            default -> {
            }
        }
    }

    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }
}
