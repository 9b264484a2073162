package dev.latchkey.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.VerifyCode;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.KeyManager;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tests for {@link Authenticator}: the one decision every door takes, on a real in-memory store. */
class AuthenticatorTest {

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

    private IssuedKey key(String... scopes) {
        return manager.create(Actor.ROOT, CreateKeyRequest.named("k").withScopes(List.of(scopes)));
    }

    private static AuthenticatorTestRequests.Req get(String uri, @Nullable String token) {
        return AuthenticatorTestRequests.get(uri, token);
    }

    @Test
    void validKey_isAllowed_asItsPrincipal() {
        IssuedKey k = key("reports:read");
        Decision d = engine(AuthSettings.builder().scopes("GET /reports/** reports:read").build())
                .authenticate(get("/reports/1", k.token()));
        assertThat(d).isInstanceOf(Allow.class);
        Allow a = (Allow) d;
        assertThat(a.principal().getName()).isEqualTo(k.key().id());
        assertThat(a.principal().clientIp()).isEqualTo("203.0.113.7");
        assertThat(registry.get("latchkey.auth.requests").tag("outcome", "valid").counter().count()).isEqualTo(1);
    }

    @Test
    void repeatedGrant_ofTheSameKeyAndAddress_isShared_butAChangeOrAnotherAddressGetsItsOwn() {
        IssuedKey k = key("reports:read");
        Authenticator engine = engine(AuthSettings.defaults());
        Allow first = (Allow) engine.authenticate(get("/x", k.token()));
        assertThat(engine.authenticate(get("/x", k.token()))).isSameAs(first);
        Allow elsewhere = (Allow) engine.authenticate(new AuthenticatorTestRequests.Req("GET", "/x", "198.51.100.9")
                .header("Authorization", "Bearer " + k.token()));
        assertThat(elsewhere.principal().clientIp()).isEqualTo("198.51.100.9");
        assertThat(elsewhere.principal().keyName()).isEqualTo("k");
        manager.update(Actor.ROOT, k.key().id(), dev.latchkey.core.admin.KeyPatch.EMPTY.withName("renamed"), null);
        Allow afterChange = (Allow) engine.authenticate(get("/x", k.token()));
        assertThat(afterChange).isNotSameAs(first);
        assertThat(afterChange.principal().keyName()).isEqualTo("renamed");
        assertThat(afterChange.principal().clientIp()).isEqualTo("203.0.113.7");
    }

    @Test
    void eachRefusal_comesFromTheOneTable() {
        Authenticator engine = engine(AuthSettings.builder().scopes("POST /reports/** reports:write")
                .exclude("/health").build());
        IssuedKey k = key("reports:read");
        assertThat(engine.authenticate(get("/health", null))).isEqualTo(Pass.EXCLUDED);
        Denial missing = (Denial) engine.authenticate(get("/x", null));
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.reason()).isEqualTo("missing");
        assertThat(missing.challenge()).isEqualTo("Bearer realm=\"latchkey\"");
        Denial scope = (Denial) engine.authenticate(new AuthenticatorTestRequests.Req("POST", "/reports/1", "203.0.113.7")
                .header("X-API-Key", k.token()));
        assertThat(scope.status()).isEqualTo(403);
        assertThat(scope.challenge()).isEqualTo(
                "Bearer realm=\"latchkey\", error=\"insufficient_scope\", scope=\"reports:write\"");
        Denial two = (Denial) engine.authenticate(get("/x", k.token()).header("X-API-Key", "other"));
        assertThat(two.status()).isEqualTo(400);
        Denial path = (Denial) engine.authenticate(get("/a/%2f/b", k.token()));
        assertThat(path.status()).isEqualTo(400);
        Denial malformed = (Denial) engine.authenticate(get("/x", "lk_live_nope"));
        assertThat(malformed).isSameAs(engine.denials().of(VerifyCode.MALFORMED, List.of()));
        assertThat(malformed.challenge()).endsWith("error=\"invalid_token\"");
    }

    @Test
    void sameTokenInSeveralHeaders_withOtherWhiteSpaceOrScheme_isOneCredential() {
        Authenticator engine = engine(AuthSettings.builder().build());
        IssuedKey k = key();
        AuthenticatorTestRequests.Req req = new AuthenticatorTestRequests.Req("GET", "/x", "203.0.113.7")
                .header("Authorization", "  Bearer\t" + k.token() + " ")
                .header("Authorization", "token " + k.token())
                .header("X-API-Key", "\t" + k.token() + "  ");
        assertThat(engine.authenticate(req)).isInstanceOf(Allow.class);

        String other = k.token().substring(0, k.token().length() - 1) + "x";
        Denial two = (Denial) engine.authenticate(new AuthenticatorTestRequests.Req("GET", "/x", "203.0.113.7")
                .header("Authorization", "Bearer " + k.token())
                .header("Authorization", "Bearer " + other));
        assertThat(two.status()).isEqualTo(400);
        Denial longer = (Denial) engine.authenticate(new AuthenticatorTestRequests.Req("GET", "/x", "203.0.113.7")
                .header("Authorization", "Bearer " + k.token())
                .header("X-API-Key", k.token() + "0"));
        assertThat(longer.status()).isEqualTo(400);
    }

    @Test
    void storeDown_uncachedKey_is503WithRetryAfter() {
        IssuedKey k = key();
        Authenticator engine = engine(AuthSettings.defaults());
        store.down = true;
        Denial d = (Denial) engine.authenticate(get("/x", k.token()));
        assertThat(d.status()).isEqualTo(503);
        assertThat(d.retryAfterSeconds()).isEqualTo(1);
        assertThat(registry.get("latchkey.auth.requests").tag("outcome", "store_unavailable").counter().count())
                .isEqualTo(1);
    }

    @Test
    void withoutRegistry_recordsNoMeters() {
        try (Authenticator quiet = Authenticator.builder(store).build()) {
            assertThat(quiet.metrics()).isNull();
            assertThat(quiet.authenticateToken(key().token(), "127.0.0.1")).isInstanceOf(Allow.class);
        }
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void failureFlood_fromOneAddress_costsTheStoreAtMostTheLimit_andCachedKeysKeepWorking() {
        Authenticator engine = engine(AuthSettings.defaults()); // limit 1000 per minute
        IssuedKey good = key();
        assertThat(engine.authenticate(get("/x", good.token()))).isInstanceOf(Allow.class); // cached now
        int findsBefore = store.finds.get();
        TokenCodec codec = TokenCodec.defaults();
        int tooMany = 0;
        for (int i = 0; i < 200_000; i++) {
            Decision d = engine.authenticate(get("/x", codec.generate(dev.latchkey.core.Environment.LIVE, dev.latchkey.core.internal.Ids.next())));
            if (d instanceof Denial den && den.reason().equals("too_many_failures")) {
                tooMany++;
                assertThat(den.status()).isEqualTo(429);
                assertThat(den.retryAfterSeconds()).isBetween(1L, 60L);
            }
            if (i % 20_000 == 0) {
                assertThat(engine.authenticate(get("/x", good.token()))).isInstanceOf(Allow.class);
            }
        }
        assertThat(store.finds.get() - findsBefore).isLessThanOrEqualTo(1_000);
        assertThat(tooMany).isEqualTo(199_000);
        // Another address is not affected.
        IssuedKey other = key();
        assertThat(engine.authenticate(new AuthenticatorTestRequests.Req("GET", "/x", "198.51.100.1").header("Authorization",
                "Bearer " + other.token()))).isInstanceOf(Allow.class);
        // After the period the address may try again.
        ticker.advance(Duration.ofSeconds(61));
        assertThat(((Denial) engine.authenticate(get("/x", "lk_live_nope"))).reason()).isEqualTo("malformed");
        Decision unknown = engine.authenticate(get("/x", codec.generate(dev.latchkey.core.Environment.LIVE, dev.latchkey.core.internal.Ids.next())));
        assertThat(((Denial) unknown).reason()).isEqualTo("not_found");
    }

    @Test
    void failureLimitZero_disablesTheThrottle() {
        Authenticator engine = engine(AuthSettings.builder().authFailureLimit(0).build());
        TokenCodec codec = TokenCodec.defaults();
        for (int i = 0; i < 50; i++) {
            Denial d = (Denial) engine.authenticate(get("/x", codec.generate(dev.latchkey.core.Environment.LIVE, dev.latchkey.core.internal.Ids.next())));
            assertThat(d.reason()).isEqualTo("not_found");
        }
    }
}
