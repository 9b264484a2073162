package dev.latchkey.engine;

import dev.latchkey.core.KeySource;
import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.StoreUnavailableException;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.UsageOutcome;
import dev.latchkey.core.UsageRecorder;
import dev.latchkey.core.UsageSink;
import dev.latchkey.core.Verification;
import dev.latchkey.core.Verifier;
import dev.latchkey.core.VerifyCode;
import dev.latchkey.core.internal.IpAddresses;
import inet.ipaddr.IPAddress;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one authentication engine that every door holds (the servlet filter, the admin service's
 * {@code POST /v1/verify} and its own authentication, the gateway): built once from a {@link KeySource} and
 * {@link AuthSettings}, it owns the {@link KeyCache}, the {@link UsageRecorder}, the {@link LatchkeyMetrics} (when
 * given a registry), core's {@link Verifier} and the failed-authentication throttle, records every outcome itself and
 * answers a {@link Decision}. Doors only translate their request in ({@link AuthRequest}) and the decision out.
 *
 * <p>What {@link #authenticate(AuthRequest)} decides, in order: the path is normalized (refused: 400); excluded paths
 * pass; the token is read from {@code Authorization: Bearer|Token} or the API-key header (two different tokens:
 * 400; none: 401, or a pass for an allowed CORS preflight); the first matching route rule gives the scopes needed; the
 * client address is found through trusted proxies; an address past its failed-authentication limit gets 429
 * {@code too_many_failures} for keys the cache cannot answer (no store read), while cached keys are judged as usual;
 * then the verification. A store that cannot be reached, with no cached copy to serve, is a 503 (fail closed).
 *
 * <p>Thread-safe. {@link #close()} flushes counted uses, stops listening to the store and removes the meters; the
 * store belongs to the caller.
 *
 * @since 0.1
 */
public final class Authenticator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);
    private static final int MAX_CREDENTIAL_HEADERS = 64;

    private final KeySource store;
    private final AuthSettings settings;
    private final TokenCodec codec;
    private final SecretHasher hasher;
    private final KeyCache cache;
    private final UsageRecorder usage;
    private final @Nullable LatchkeyMetrics metrics;
    private final Verifier verifier;
    private final Denials denials;
    private final Denial missing;
    private final FailureThrottle throttle;
    private final GrantedAllows grants = new GrantedAllows();
    private final RateLimiter limiter;
    private final java.time.Clock clock;
    private volatile boolean closed;

    Authenticator(AuthenticatorBuilder b) {
        this.store = b.store;
        this.settings = b.settings;
        this.codec = settings.codec();
        this.hasher = SecretHasher.forPepper(settings.pepper());
        this.denials = new Denials(settings.realm());
        this.missing = denials.missing(settings.apiKeyHeader());
        this.throttle = new FailureThrottle(settings.authFailureLimit(), settings.authFailurePeriod(), b.ticker);
        LatchkeyMetrics m = null;
        UsageRecorder recorder = null;
        KeyCache c = null;
        try {
            if (b.registry != null) {
                m = b.distinctTagKey == null ? LatchkeyMetrics.create(b.registry, b.tags)
                        : LatchkeyMetrics.createDistinct(b.registry, b.tags, b.distinctTagKey, b.distinctName);
                if (b.storeMeters && store instanceof MeterBinder storeMeters) {
                    // A store with meters of its own (the Redis store's Lettuce latencies) reports them here too.
                    storeMeters.bindTo(b.registry);
                }
            }
            UsageRecorder.Builder ub = UsageRecorder.builder(store).flushInterval(settings.usageFlushInterval());
            if (m != null) {
                ub.listener(m.flushListener());
            }
            recorder = ub.build();
            if (m != null) {
                m.bindUsage(recorder);
            }
            c = KeyCache.builder(store)
                    .maxSize(settings.cacheMaxSize())
                    .ttl(settings.cacheTtl())
                    .negativeTtl(settings.negativeTtl())
                    .staleIfError(settings.staleIfError())
                    .ticker(b.ticker)
                    .meterRegistry(b.registry)
                    .tags(m == null ? b.tags : m.tags())
                    .build();
        } catch (RuntimeException e) {
            if (recorder != null) {
                recorder.close();
            }
            if (m != null) {
                m.close();
            }
            throw e;
        }
        this.metrics = m;
        this.usage = recorder;
        this.cache = c;
        this.clock = b.clock;
        // Uses are counted here once the request is also admitted by its rate limit and quota, not by the verifier.
        this.verifier = new Verifier(c, codec, hasher, b.clock, UsageSink.NONE);
        this.limiter = new RateLimiter(store, settings, b.clock, b.ticker, denials,
                b.registry == null ? null : new RateLimitMetrics(b.registry, m == null ? b.tags : m.tags()));
    }

    /**
     * Starts an authenticator on a store that the caller owns and closes.
     *
     * @throws NullPointerException when {@code store} is null
     */
    public static AuthenticatorBuilder builder(KeySource store) {
        return new AuthenticatorBuilder(store);
    }

    /**
     * Decides one request as the filter and the gateway do (see the class comment).
     *
     * @throws IllegalStateException when closed
     */
    public Decision authenticate(AuthRequest request) {
        long start = System.nanoTime();
        String path = RequestPaths.applicationPath(request.requestUri(), request.contextPath());
        if (path == null) {
            return denied(LatchkeyMetrics.Outcome.INVALID_REQUEST, denials.badPath(), start);
        }
        List<PathPattern> excludes = settings.excludes();
        for (int i = 0, n = excludes.size(); i < n; i++) { // indexed: no iterator on the request path
            if (excludes.get(i).matches(path)) {
                return Pass.EXCLUDED;
            }
        }
        // The credential is kept as where it lies in its header, token[from, to), and verified there: no copy.
        String token = null;
        int from = 0;
        int to = 0;
        boolean conflict = false;
        int seen = 0;
        String apiKeyHeader = settings.apiKeyHeader();
        for (int h = 0; h < 2 && !conflict && (h == 0 || apiKeyHeader != null); h++) {
            for (Iterator<String> it = request.headers(h == 0 ? "Authorization" : apiKeyHeader); it.hasNext(); ) {
                String value = it.next();
                long span = h == 0 ? BearerCredentials.span(value) : BearerCredentials.stripped(value);
                if (span == BearerCredentials.NONE) {
                    continue;
                }
                if (++seen > MAX_CREDENTIAL_HEADERS) {
                    conflict = true;
                    break;
                }
                if (token == null) {
                    token = value;
                    from = BearerCredentials.from(span);
                    to = BearerCredentials.to(span);
                } else {
                    conflict |= !BearerCredentials.sameText(token, from, to, value, span);
                }
            }
        }
        if (conflict) {
            return denied(LatchkeyMetrics.Outcome.INVALID_REQUEST, denials.conflictingTokens(), start);
        }
        String method = request.method().toUpperCase(Locale.ROOT);
        if (token == null) {
            if (settings.allowPreflight() && method.equals("OPTIONS")) {
                return Pass.PREFLIGHT;
            }
            return denied(LatchkeyMetrics.Outcome.MISSING, missing, start);
        }
        RouteRules.Rule rule = settings.rules().match(method, path);
        List<String> required = rule == null ? List.of() : rule.scopes();
        long cost = rule == null ? 1 : rule.cost();
        String remote = request.remoteAddress();
        IPAddress client = settings.trustedProxies().trustsAny()
                ? settings.trustedProxies().clientOf(remote, request.headers("Forwarded"),
                        request.headers("X-Forwarded-For"))
                : ClientAddresses.parseHost(remote);
        return check(token, from, to, client, required, null, throttleKey(client, remote), start, cost);
    }

    /**
     * Decides a bearer token on its own, with no route rules, as the admin service authenticates its callers;
     * failures count against {@code remoteAddress}.
     */
    public Decision authenticateToken(String token, @Nullable String remoteAddress) {
        IPAddress client = ClientAddresses.parseHost(remoteAddress);
        // The admin API's own authentication never charges a key (API.md §8).
        return check(token, 0, token.length(), client, List.of(), null, throttleKey(client, remoteAddress),
                System.nanoTime(), -1);
    }

    /**
     * Verifies a token for {@code POST /v1/verify}: no route rules and no throttle (the caller is an authenticated
     * admin that verifies other people's tokens); a granted verification counts as a use.
     *
     * @param clientIp       the client address to check IP rules against, or {@code null} (then keys with active
     *                       rules are denied)
     * @param requiredScopes scopes needed, all of them
     * @param tenantId       when not null, keys of other tenants read {@code not_found}
     */
    public Decision verify(CharSequence token, @Nullable IPAddress clientIp, Collection<String> requiredScopes,
            @Nullable String tenantId) {
        return verify(token, clientIp, requiredScopes, tenantId, 1);
    }

    /**
     * Verifies a token as {@link #verify(CharSequence, IPAddress, Collection, String)} does, charging {@code cost}
     * units of the key's rate limit and quota (API.md §8; 0 to 1,000,000).
     */
    public Decision verify(CharSequence token, @Nullable IPAddress clientIp, Collection<String> requiredScopes,
            @Nullable String tenantId, long cost) {
        if (cost < 0 || cost > RouteRules.MAX_COST) {
            throw new IllegalArgumentException("cost must be 0 to " + RouteRules.MAX_COST);
        }
        return check(token, 0, token.length(), clientIp, requiredScopes, tenantId, null, System.nanoTime(), cost);
    }

    /**
     * Decides the token {@code text[from, to)}; {@code cost} below 0 means "never charge" (the admin API's own
     * authentication).
     */
    private Decision check(CharSequence text, int from, int to, @Nullable IPAddress client,
            Collection<String> required, @Nullable String tenantId, @Nullable String throttleKey, long start,
            long cost) {
        if (closed) {
            throw new IllegalStateException("authenticator closed");
        }
        if (throttleKey != null && throttle.enabled()) {
            long wait = throttle.retryAfterSeconds(throttleKey);
            if (wait > 0 && !cacheAnswers(text.subSequence(from, to))) {
                return denied(LatchkeyMetrics.Outcome.TOO_MANY_FAILURES, denials.tooManyFailures(wait), start);
            }
        }
        Verification v;
        try {
            v = verifier.verify(text, from, to, client, required, tenantId);
        } catch (StoreUnavailableException e) {
            LOG.debug("Key store unavailable: {}", e.getMessage());
            return denied(LatchkeyMetrics.Outcome.STORE_UNAVAILABLE, denials.storeUnavailable(), start);
        }
        LatchkeyMetrics m = metrics;
        if (v.code() == VerifyCode.VALID) {
            var key = Objects.requireNonNull(v.key());
            RateLimiter.Outcome charged = cost < 0 ? RateLimiter.FREE : limiter.charge(key, cost);
            Denial limitDenial = charged.denial();
            if (limitDenial != null) {
                if (limitDenial.status() != 503) {
                    usage.refused(key.id(), clock.millis(), UsageOutcome.RATE_LIMITED);
                }
                if (m != null && limitDenial.status() == 503) {
                    m.recorded(LatchkeyMetrics.Outcome.STORE_UNAVAILABLE, System.nanoTime() - start);
                } else if (m != null) {
                    m.recorded(outcomeOf(limitDenial), System.nanoTime() - start);
                }
                return limitDenial;
            }
            String ip = client == null ? null : IpAddresses.canonical(client);
            usage.record(key.id(), clock.millis(), ip);
            if (m != null) {
                m.recorded(VerifyCode.VALID, System.nanoTime() - start);
                if (v.previousSecret()) {
                    m.previousTokenUsed();
                }
            }
            return grants.of(key, ip, v.previousSecret(), charged);
        }
        if (m != null) {
            m.recorded(v.code(), System.nanoTime() - start);
        }
        if (v.key() != null && cost >= 0) {
            // The secret was proved (a wrong one carries no key): the refusal is the key's, for its history.
            usage.refused(v.key().id(), clock.millis(), UsageOutcome.DENIED);
        }
        Denial d = denials.of(v.code(), required);
        if (throttleKey != null && d.status() == 401) {
            throttle.failed(throttleKey);
        }
        return d;
    }

    /** Returns the verify code a limit denial reads as (its reason is that code's wire name). */
    private static VerifyCode outcomeOf(Denial d) {
        for (VerifyCode c : VerifyCode.values()) {
            if (c.wire().equals(d.reason())) {
                return c;
            }
        }
        throw new IllegalStateException("a limit denial with reason " + d.reason());
    }

    private Denial denied(LatchkeyMetrics.Outcome outcome, Denial denial, long start) {
        LatchkeyMetrics m = metrics;
        if (m != null) {
            m.recorded(outcome, System.nanoTime() - start);
        }
        return denial;
    }

    /** Returns whether the key cache can judge this token without a store read. */
    private boolean cacheAnswers(CharSequence token) {
        return switch (codec.classify(token)) {
            case GENERATED -> cache.holds(codec.keyIdOf(token));
            case IMPORTED -> cache.holdsImported(hasher.hash(token));
            default -> true;
        };
    }

    private static String throttleKey(@Nullable IPAddress client, @Nullable String remote) {
        if (client != null) {
            return IpAddresses.canonical(client);
        }
        return remote == null ? "unknown" : remote;
    }

    /** Returns the settings this authenticator was built with. */
    public AuthSettings settings() {
        return settings;
    }

    /** Returns the table of denials, for doors that refuse before asking the engine (in the settings' realm). */
    public Denials denials() {
        return denials;
    }

    /** Returns the key cache (for diagnostics and tests). */
    public KeyCache cache() {
        return cache;
    }

    /** Returns the usage recorder (for diagnostics and tests). */
    public UsageRecorder usage() {
        return usage;
    }

    /** Returns the meters, or {@code null} when built without a registry. */
    public @Nullable LatchkeyMetrics metrics() {
        return metrics;
    }

    /** Returns the store this authenticator reads. */
    public KeySource store() {
        return store;
    }

    /**
     * Flushes counted uses, stops listening to the store and removes this authenticator's meters. The store stays
     * open. Closing twice is harmless.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(usage);
        closeQuietly(limiter);
        closeQuietly(cache);
        closeQuietly(metrics);
    }

    private static void closeQuietly(@Nullable AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("Could not close {}: {}", c.getClass().getSimpleName(), e.toString());
        }
    }
}
