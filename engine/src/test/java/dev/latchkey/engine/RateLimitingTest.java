package dev.latchkey.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.DefaultsInput;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.core.admin.QuotaInput;
import dev.latchkey.core.admin.RateLimitInput;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Tests for the engine's rate limits and quotas (API.md §8) on the in-memory store: decision order, memory verdicts,
 * events that end them, headers, costs and the on-store-error modes.
 */
class RateLimitingTest {

    private final CountingKeyStore store = new CountingKeyStore();
    private final KeyManager manager = new KeyManager(store, TokenCodec.defaults(), SecretHasher.sha256(),
            Clock.systemUTC(), Runnable::run);
    private final FakeTicker ticker = new FakeTicker();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Authenticator> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(Authenticator::close);
        store.close();
    }

    private Authenticator engine(AuthSettings settings) {
        Authenticator a = Authenticator.builder(store).settings(settings).meterRegistry(registry).ticker(ticker)
                .build();
        opened.add(a);
        return a;
    }

    private Authenticator engine() {
        return engine(AuthSettings.builder().scopes("POST /costly/** cost=5; GET /free/** cost=0").build());
    }

    private IssuedKey key(@Nullable RateLimitInput rate, @Nullable QuotaInput quota) {
        return manager.create(Actor.ROOT, CreateKeyRequest.named("k").withLimits(rate, quota));
    }

    private static AuthenticatorTestRequests.Req get(String uri, String token) {
        return AuthenticatorTestRequests.get(uri, token);
    }

    private double decisions(String result, String source) {
        return registry.get("latchkey.ratelimit.decisions").tag("result", result).tag("source", source).counter()
                .count();
    }

    @Test
    void keyWithoutLimits_isNeverCharged_andGetsNoHeaders() {
        Authenticator engine = engine();
        IssuedKey k = key(null, null);
        for (int i = 0; i < 10; i++) {
            Allow a = (Allow) engine.authenticate(get("/x", k.token()));
            assertThat(a.headers()).isEmpty();
            assertThat(a.charge()).isNull();
        }
        assertThat(store.charges).hasValue(0);
    }

    @Test
    void rateLimit_admitsUpToTheLimit_thenDeniesFromMemory_withHeadersAndRetryAfter() {
        Authenticator engine = engine();
        IssuedKey k = key(new RateLimitInput(3L, 3600L), null);
        for (int i = 0; i < 3; i++) {
            Allow a = (Allow) engine.authenticate(get("/x", k.token()));
            assertThat(a.headers().get("RateLimit-Policy")).isEqualTo("\"rate\";q=3;w=3600");
            assertThat(a.headers().get("RateLimit")).startsWith("\"rate\";r=" + (2 - i) + ";t=");
        }
        Denial d = (Denial) engine.authenticate(get("/x", k.token()));
        assertThat(d.status()).isEqualTo(429);
        assertThat(d.code()).isEqualTo("rate_limited");
        assertThat(d.challenge()).isNull();
        assertThat(d.retryAfterSeconds()).isBetween(1L, 3600L);
        assertThat(d.headers()).containsKeys("RateLimit-Policy", "RateLimit");
        int charges = store.charges.get();
        Denial again = (Denial) engine.authenticate(get("/x", k.token()));
        assertThat(again.code()).isEqualTo("rate_limited");
        assertThat(store.charges).as("the second denial came from memory").hasValue(charges);
        assertThat(decisions("rate_limited", "memory")).isEqualTo(1);
        assertThat(decisions("allowed", "store")).isEqualTo(3);
        assertThat(store.delegate.find(k.key().id()).orElseThrow().usage().count()).isZero(); // not flushed yet
        engine.usage().flush();
        assertThat(store.delegate.find(k.key().id()).orElseThrow().usage().count())
                .as("denied requests are not uses").isEqualTo(3);
    }

    @Test
    void routeCost_isCharged_andCostZeroIsAlwaysAdmitted() {
        Authenticator engine = engine();
        IssuedKey k = key(new RateLimitInput(6L, 3600L), null);
        assertThat(engine.authenticate(new AuthenticatorTestRequests.Req("POST", "/costly/a", "203.0.113.7")
                .header("Authorization", "Bearer " + k.token()))).isInstanceOf(Allow.class);
        Denial d = (Denial) engine.authenticate(new AuthenticatorTestRequests.Req("POST", "/costly/a", "203.0.113.7")
                .header("Authorization", "Bearer " + k.token()));
        assertThat(d.code()).isEqualTo("rate_limited");
        assertThat(engine.authenticate(get("/x", k.token()))).as("cost 1 still fits").isInstanceOf(Allow.class);
        Allow free = (Allow) engine.authenticate(get("/free/a", k.token()));
        assertThat(free.headers().get("RateLimit")).startsWith("\"rate\";r=0;");
        assertThat(engine.authenticate(get("/x", k.token()))).isInstanceOf(Denial.class);
    }

    @Test
    void rateLimited_fromMemory_countsRetryAfterAndTheHeadersDownToTheWindowsEnd() {
        Authenticator engine = engine();
        IssuedKey k = key(new RateLimitInput(2L, 3600L), null);
        engine.authenticate(get("/x", k.token()));
        engine.authenticate(get("/x", k.token()));
        Denial fromStore = (Denial) engine.authenticate(get("/x", k.token()));
        long first = fromStore.retryAfterSeconds();
        assertThat(fromStore.headers().get("RateLimit")).isEqualTo("\"rate\";r=0;t=" + first);
        Assumptions.assumeTrue(first > 10, "the window ends within seconds");
        int charges = store.charges.get();

        ticker.advance(Duration.ofSeconds(9));
        Denial fromMemory = (Denial) engine.authenticate(get("/x", k.token()));

        assertThat(store.charges).as("answered from memory").hasValue(charges);
        assertThat(fromMemory.retryAfterSeconds()).isEqualTo(first - 9);
        assertThat(fromMemory.headers().get("RateLimit")).isEqualTo("\"rate\";r=0;t=" + (first - 9));
        assertThat(fromMemory.headers().get("RateLimit-Policy")).isEqualTo("\"rate\";q=2;w=3600");
    }

    @Test
    void quotaExceeded_fromMemory_keepsRetryAfterAtTheRefill_notAtHowLongTheVerdictIsKept() {
        Authenticator engine = engine();
        IssuedKey k = key(null, new QuotaInput(1L, "day", null));
        engine.authenticate(get("/x", k.token()));
        Denial fromStore = (Denial) engine.authenticate(get("/x", k.token()));
        assertThat(fromStore.code()).isEqualTo("quota_exceeded");
        long first = fromStore.retryAfterSeconds();
        Assumptions.assumeTrue(first > 10, "the day ends within seconds");
        int charges = store.charges.get();

        ticker.advance(Duration.ofSeconds(2));
        Denial fromMemory = (Denial) engine.authenticate(get("/x", k.token()));

        assertThat(store.charges).as("answered from memory").hasValue(charges);
        assertThat(fromMemory.code()).isEqualTo("quota_exceeded");
        assertThat(fromMemory.retryAfterSeconds()).as("until refills_at, not the key cache's ttl")
                .isEqualTo(first - 2);
        assertThat(fromMemory.headers().get("RateLimit")).isEqualTo("\"quota\";r=0;t=" + (first - 2));
    }

    @Test
    void prepaidCredits_spent_is403WithoutRetryAfter_untilACreditTopUpEndsTheVerdict() {
        Authenticator engine = engine();
        IssuedKey k = key(null, new QuotaInput(2L, "none", null));
        engine.authenticate(get("/x", k.token()));
        Allow last = (Allow) engine.authenticate(get("/x", k.token()));
        assertThat(last.headers().get("RateLimit-Policy")).isEqualTo("\"quota\";q=2");
        assertThat(last.headers().get("RateLimit")).isEqualTo("\"quota\";r=0");
        Denial d = (Denial) engine.authenticate(get("/x", k.token()));
        assertThat(d.status()).isEqualTo(403);
        assertThat(d.code()).isEqualTo("quota_exhausted");
        assertThat(d.retryAfterSeconds()).isNull();
        assertThat(d.challenge()).isNull();
        int charges = store.charges.get();
        assertThat(engine.authenticate(get("/x", k.token()))).isInstanceOf(Denial.class);
        assertThat(store.charges).hasValue(charges);

        manager.limits().credits(Actor.ROOT, k.key().id(), "increment", 1L);

        assertThat(engine.authenticate(get("/x", k.token()))).as("the top-up's event ended the memory verdict")
                .isInstanceOf(Allow.class);
    }

    @Test
    void tenantDefault_appliesToKeysWithoutTheirOwn_andItsChangeReachesTheEngineAtOnce() {
        Authenticator engine = engine();
        IssuedKey k = key(null, null);
        assertThat(((Allow) engine.authenticate(get("/x", k.token()))).headers()).isEmpty();
        manager.limits().putDefaults(Actor.ROOT, "default",
                new DefaultsInput(new RateLimitInput(1L, 3600L), null, null, null), null);
        Allow a = (Allow) engine.authenticate(get("/x", k.token()));
        assertThat(a.headers().get("RateLimit-Policy")).isEqualTo("\"rate\";q=1;w=3600");
        assertThat(engine.authenticate(get("/x", k.token()))).isInstanceOf(Denial.class);
        manager.limits().putDefaults(Actor.ROOT, "default", new DefaultsInput(null, null, null, null), null);
        assertThat(((Allow) engine.authenticate(get("/x", k.token()))).headers()).isEmpty();
    }

    @Test
    void storeDown_local_enforcesTheRateLimitAlone_open_admits_closed_answers503() {
        IssuedKey rated = key(new RateLimitInput(2L, 3600L), null);
        IssuedKey roomy = key(new RateLimitInput(1_000L, 3600L), null);
        IssuedKey quota = key(null, new QuotaInput(5L, "day", null));
        Authenticator local = engine(AuthSettings.builder().build());
        Authenticator open = engine(AuthSettings.builder().rateLimitOnStoreError(AuthSettings.OnStoreError.OPEN)
                .build());
        Authenticator closed = engine(AuthSettings.builder()
                .rateLimitOnStoreError(AuthSettings.OnStoreError.CLOSED).build());
        for (Authenticator a : List.of(local, open, closed)) { // cache the keys
            a.authenticate(get("/x", quota.token()));
            a.authenticate(get("/x", roomy.token()));
        }
        store.down = true;
        ticker.advance(java.time.Duration.ofSeconds(1));
        // the keys are cached (stale-if-error), the charge cannot reach the store
        assertThat(local.authenticate(get("/x", rated.token()))).isInstanceOf(Denial.class); // not cached yet: 503
        store.down = false;
        local.authenticate(get("/x", rated.token())); // cached on the local-mode node; the store counted 1 of 2
        store.down = true;
        int allowed = 0;
        for (int i = 0; i < 5; i++) {
            if (local.authenticate(get("/x", rated.token())) instanceof Allow a) {
                assertThat(a.headers().get("RateLimit")).startsWith("\"rate\";r=" + (1 - allowed) + ";t=");
                allowed++;
            }
        }
        assertThat(allowed).as("local mode: this node alone admits up to the limit per window").isEqualTo(2);
        Denial fallback = (Denial) local.authenticate(get("/x", rated.token()));
        assertThat(fallback.headers().get("RateLimit-Policy")).isEqualTo("\"rate\";q=2;w=3600");
        assertThat(fallback.headers().get("RateLimit")).as("the headers show this node's own count")
                .isEqualTo("\"rate\";r=0;t=" + fallback.retryAfterSeconds());
        assertThat(decisions("rate_limited", "fallback")).isEqualTo(4);
        assertThat(decisions("allowed", "fallback")).isEqualTo(2);
        assertThat(((Denial) local.authenticate(get("/x", quota.token()))).status()).as("quota: 503 unless open")
                .isEqualTo(503);
        assertThat(open.authenticate(get("/x", quota.token()))).isInstanceOf(Allow.class);
        assertThat(((Denial) closed.authenticate(get("/x", roomy.token()))).status()).isEqualTo(503);
        assertThat(open.authenticate(get("/x", roomy.token()))).isInstanceOf(Allow.class);
    }

    @Test
    void verifyCost_isChargedAndChecked() {
        Authenticator engine = engine();
        IssuedKey k = key(new RateLimitInput(10L, 3600L), null);
        Allow a = (Allow) engine.verify(k.token(), null, List.of(), null, 7);
        assertThat(a.charge()).isNotNull();
        assertThat(a.charge().rate().remaining()).isEqualTo(3);
        assertThat(((Denial) engine.verify(k.token(), null, List.of(), null, 4)).reason()).isEqualTo("rate_limited");
    }

    @Test
    void adminAuthentication_neverChargesAKey() {
        Authenticator engine = engine();
        IssuedKey k = key(new RateLimitInput(1L, 3600L), null);
        for (int i = 0; i < 5; i++) {
            assertThat(engine.authenticateToken(k.token(), "127.0.0.1")).isInstanceOf(Allow.class);
        }
        assertThat(store.charges).hasValue(0);
    }

    @Test
    void storeDown_unreadableTenantDefaults_areAskedForOncePerSecond_andTheLastReadStillApplies() {
        Authenticator engine = engine();
        IssuedKey plain = key(null, null);
        manager.limits().putDefaults(Actor.ROOT, "default",
                new DefaultsInput(new RateLimitInput(1_000L, 3600L), null, null, null), null);
        assertThat(((Allow) engine.authenticate(get("/x", plain.token()))).headers()).isNotEmpty();
        ticker.advance(java.time.Duration.ofSeconds(61)); // past the defaults' TTL; the key is served stale
        store.down = true;
        int before = store.defaultsReads.get();
        for (int i = 0; i < 20; i++) {
            Decision d = engine.authenticate(get("/x", plain.token()));
            assertThat(d).isInstanceOf(Allow.class);
            assertThat(((Allow) d).headers().get("RateLimit")).as("the last defaults read still apply (charged locally)")
                    .startsWith("\"rate\";r=" + (999 - i) + ";t=");
        }
        assertThat(store.defaultsReads.get() - before).as("one read, then a one-second back-off").isEqualTo(1);
        assertThat(decisions("allowed", "fallback")).isEqualTo(20);
        ticker.advance(java.time.Duration.ofSeconds(2));
        engine.authenticate(get("/x", plain.token()));
        assertThat(store.defaultsReads.get() - before).isEqualTo(2);
    }
}
