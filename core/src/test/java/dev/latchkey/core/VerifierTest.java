package dev.latchkey.core;

import dev.latchkey.core.internal.Ids;
import dev.latchkey.core.internal.IpAddresses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import inet.ipaddr.IPAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tests for {@link Verifier}: the whole decision table (status × expiry × secret × IP × scopes), the order of the
 * checks (form before lookup, secret before status), tenants, and that only valid verifications count as uses.
 */
class VerifierTest {

    enum Expiry { NONE, FUTURE, PAST }

    enum Secret { CURRENT, PREVIOUS_IN_GRACE, PREVIOUS_AFTER_DEADLINE, WRONG }

    enum Ip { NO_RULES, INACTIVE_RULES_ONLY, MATCH, NO_MATCH, NULL_IP }

    enum Scope { NONE_REQUIRED, GRANTED, NOT_GRANTED }

    private record Use(String keyId, Instant at, @Nullable String ip) {
    }

    /** Counts lookups, to prove what is decided before any lookup. */
    private static final class CountingResolver implements KeyResolver {
        final KeyResolver delegate;
        final AtomicInteger byId = new AtomicInteger();
        final AtomicInteger byHash = new AtomicInteger();

        CountingResolver(KeyResolver delegate) {
            this.delegate = delegate;
        }

        @Override
        public @Nullable ApiKey byId(String keyId) {
            byId.incrementAndGet();
            return delegate.byId(keyId);
        }

        @Override
        public @Nullable ApiKey byImportedHash(SecretHash hash) {
            byHash.incrementAndGet();
            return delegate.byImportedHash(hash);
        }

        int calls() {
            return byId.get() + byHash.get();
        }
    }

    private static final IPAddress CLIENT = IpAddresses.parseAddress("203.0.113.5");

    private final TokenCodec codec = TokenCodec.defaults();
    private final SecretHasher hasher = SecretHasher.hmac("verifier-test");
    private final TestClock clock = TestClock.atNow();
    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final List<Use> uses = new ArrayList<>();
    private CountingResolver resolver = new CountingResolver(KeyResolver.direct(store));
    private Verifier verifier = newVerifier();

    private Verifier newVerifier() {
        return new Verifier(resolver, codec, hasher, clock, (id, at, ip) -> uses.add(new Use(id, at, ip)));
    }

    @BeforeEach
    void resetCounters() {
        resolver = new CountingResolver(KeyResolver.direct(store));
        verifier = newVerifier();
    }

    private Instant now() {
        return clock.instant();
    }

    private Credential generated(String token) {
        return new Credential(hasher.hash(token), codec.hint(token, false), false);
    }

    private Credential imported(String token) {
        return new Credential(hasher.hash(token), codec.hint(token, true), true);
    }

    private ApiKey.Builder key(String id) {
        return ApiKey.builder().id(id).name("k").createdAt(now().minus(Duration.ofDays(1)))
                .current(generated(codec.generate(Environment.LIVE, id)));
    }

    // ---------------------------------------------------------------- the decision table

    static Stream<Arguments> table() {
        List<Arguments> rows = new ArrayList<>();
        for (KeyStatus status : List.of(KeyStatus.ACTIVE, KeyStatus.INACTIVE, KeyStatus.BLOCKED)) {
            for (Expiry expiry : Expiry.values()) {
                for (Secret secret : Secret.values()) {
                    for (Ip ip : Ip.values()) {
                        for (Scope scope : Scope.values()) {
                            rows.add(Arguments.of(status, expiry, secret, ip, scope));
                        }
                    }
                }
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} expiry={1} secret={2} ip={3} scope={4}")
    @MethodSource("table")
    void verify_decisionTable(KeyStatus status, Expiry expiry, Secret secret, Ip ip, Scope scope) {
        String id = Ids.next();
        String current = codec.generate(Environment.LIVE, id);
        String previous = codec.generate(Environment.LIVE, id);
        ApiKey.Builder b = key(id).storedStatus(status).current(generated(current))
                .scopes(List.of("reports:*", "audit:read"));
        b.expiresAt(switch (expiry) {
            case NONE -> null;
            case FUTURE -> now().plus(Duration.ofHours(1));
            case PAST -> now().minusSeconds(1);
        });
        switch (secret) {
            case PREVIOUS_IN_GRACE -> b.previous(generated(previous), now().plusSeconds(60));
            case PREVIOUS_AFTER_DEADLINE -> b.previous(generated(previous), now().minusSeconds(1));
            default -> { }
        }
        b.ipRestrictions(switch (ip) {
            case NO_RULES -> List.of();
            case INACTIVE_RULES_ONLY -> List.of(IpRestriction.of(Ids.next(), "198.51.100.0/24", null, RuleStatus.INACTIVE));
            case MATCH, NULL_IP -> List.of(IpRestriction.of(Ids.next(), "198.51.100.0/24", null, RuleStatus.ACTIVE),
                    IpRestriction.of(Ids.next(), "203.0.113.0/24", null, RuleStatus.ACTIVE));
            case NO_MATCH -> List.of(IpRestriction.of(Ids.next(), "198.51.100.0/24", null, RuleStatus.ACTIVE),
                    IpRestriction.of(Ids.next(), "203.0.113.0/24", null, RuleStatus.INACTIVE));
        });
        store.create(b.build());
        String presented = switch (secret) {
            case CURRENT -> current;
            case PREVIOUS_IN_GRACE, PREVIOUS_AFTER_DEADLINE -> previous;
            case WRONG -> codec.generate(Environment.LIVE, id);
        };
        IPAddress clientIp = ip == Ip.NULL_IP ? null : CLIENT;
        List<String> required = switch (scope) {
            case NONE_REQUIRED -> List.of();
            case GRANTED -> List.of("reports:read", "audit:read");
            case NOT_GRANTED -> List.of("reports:read", "billing:write");
        };

        Verification v = verifier.verify(presented, clientIp, required, null);

        VerifyCode expected;
        if (secret == Secret.WRONG || secret == Secret.PREVIOUS_AFTER_DEADLINE) {
            expected = VerifyCode.NOT_FOUND;
        } else if (status == KeyStatus.BLOCKED) {
            expected = VerifyCode.BLOCKED;
        } else if (expiry == Expiry.PAST) {
            expected = VerifyCode.EXPIRED;
        } else if (status == KeyStatus.INACTIVE) {
            expected = VerifyCode.INACTIVE;
        } else if (ip == Ip.NO_MATCH || ip == Ip.NULL_IP) {
            expected = VerifyCode.IP_NOT_ALLOWED;
        } else if (scope == Scope.NOT_GRANTED) {
            expected = VerifyCode.INSUFFICIENT_SCOPE;
        } else {
            expected = VerifyCode.VALID;
        }
        assertThat(v.code()).isEqualTo(expected);
        assertThat(v.valid()).isEqualTo(expected == VerifyCode.VALID);
        if (expected == VerifyCode.NOT_FOUND) {
            assertThat(v).isEqualTo(Verification.notFound());
        } else {
            assertThat(v.key()).isNotNull().extracting(ApiKey::id).isEqualTo(id);
            assertThat(v.previousSecret()).isEqualTo(secret == Secret.PREVIOUS_IN_GRACE);
        }
        assertThat(resolver.byId.get()).isEqualTo(1);
        assertThat(resolver.byHash.get()).isZero();
        if (expected == VerifyCode.VALID) {
            assertThat(uses).containsExactly(new Use(id, now(), "203.0.113.5"));
        } else {
            assertThat(uses).isEmpty();
        }
    }

    // ---------------------------------------------------------------- form before lookup

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "short", "lk_live_", "lk_live_nonsense", "lk_test_01JD0000000000000000000000",
            "Bearer abcdefgh", "has spaces inside", "ünïcödé-token", "tab\tseparated"})
    void verify_malformed_isDecidedBeforeAnyLookup(String token) {
        Verification v = verifier.verify(token, CLIENT, List.of(), null);

        assertThat(v).isEqualTo(Verification.malformed());
        assertThat(resolver.calls()).isZero();
        assertThat(uses).isEmpty();
    }

    @Test
    void verify_realTokenWithOneCharacterChanged_isMalformedWithoutLookup() {
        ApiKey k = key(Ids.next()).build();
        String token = codec.generate(Environment.LIVE, k.id());
        store.create(k.toBuilder().current(generated(token)).build());
        int changed = 0;
        for (int i = 8; i < token.length(); i += 7) {
            char c = token.charAt(i) == 'A' ? 'B' : 'A';
            String typo = token.substring(0, i) + c + token.substring(i + 1);
            assertThat(verifier.verify(typo, CLIENT).code()).as("typo at %d", i).isEqualTo(VerifyCode.MALFORMED);
            changed++;
        }

        assertThat(changed).isGreaterThan(5);
        assertThat(resolver.calls()).isZero();
        assertThat(verifier.verify(token, CLIENT).code()).isEqualTo(VerifyCode.VALID);
    }

    @Test
    void verify_tokenInsideAHeader_isJudgedAsTheTokenAlone() {
        ApiKey k = key(Ids.next()).build();
        String token = codec.generate(Environment.LIVE, k.id());
        store.create(k.toBuilder().current(generated(token)).build());
        String header = "Bearer " + token + "  ";
        int from = "Bearer ".length();

        Verification inside = verifier.verify(header, from, from + token.length(), CLIENT, List.of(), null);

        assertThat(inside.code()).isEqualTo(VerifyCode.VALID);
        assertThat(inside.key()).isEqualTo(verifier.verify(token, CLIENT).key());
        assertThat(verifier.verify(header, from, from + token.length() - 1, CLIENT, List.of(), null).code())
                .isEqualTo(VerifyCode.MALFORMED);
        assertThat(verifier.verify(header, 0, header.length(), CLIENT, List.of(), null).code())
                .isEqualTo(VerifyCode.MALFORMED);
        assertThatThrownBy(() -> verifier.verify(header, from, header.length() + 1, CLIENT, List.of(), null))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void verify_tooLongValue_isMalformed() {
        assertThat(verifier.verify("a".repeat(10_000), CLIENT).code()).isEqualTo(VerifyCode.MALFORMED);
        assertThat(resolver.calls()).isZero();
    }

    // ---------------------------------------------------------------- not found

    @Test
    void verify_wrongSecret_isIndistinguishableFromUnknownId() {
        ApiKey inactive = key(Ids.next()).storedStatus(KeyStatus.BLOCKED).build();
        store.create(inactive);

        Verification unknown = verifier.verify(codec.generate(Environment.LIVE, Ids.next()), CLIENT);
        Verification wrong = verifier.verify(codec.generate(Environment.LIVE, inactive.id()), CLIENT);

        assertThat(wrong).isEqualTo(unknown).isEqualTo(Verification.notFound());
        assertThat(wrong.key()).isNull();
        assertThat(resolver.byId.get()).isEqualTo(2);
    }

    @Test
    void verify_generatedTokenForAnImportedKey_isNotFound() {
        String id = Ids.next();
        store.create(key(id).current(imported("imported-value-001")).build());

        assertThat(verifier.verify(codec.generate(Environment.LIVE, id), CLIENT).code())
                .isEqualTo(VerifyCode.NOT_FOUND);
    }

    // ---------------------------------------------------------------- imported tokens

    @Test
    void verify_importedToken_isFoundByHashOnly() {
        String id = Ids.next();
        store.create(key(id).current(imported("Imported+Token/01")).scopes(List.of("a")).build());

        Verification v = verifier.verify("Imported+Token/01", CLIENT, List.of("a"));

        assertThat(v.code()).isEqualTo(VerifyCode.VALID);
        assertThat(v.key().id()).isEqualTo(id);
        assertThat(resolver.byHash.get()).isEqualTo(1);
        assertThat(resolver.byId.get()).isZero();
        assertThat(uses).hasSize(1);
    }

    @Test
    void verify_unknownImportedToken_isNotFound() {
        Verification v = verifier.verify("never-imported-01", CLIENT);

        assertThat(v).isEqualTo(Verification.notFound());
        assertThat(resolver.byHash.get()).isEqualTo(1);
    }

    @Test
    void verify_importedPreviousSecret_worksOnlyInItsGraceWindow() {
        String id = Ids.next();
        String fresh = codec.generate(Environment.LIVE, id);
        ApiKey original = key(id).current(imported("old-imported-value")).build();
        store.create(original);
        store.replace(original.toBuilder().current(generated(fresh))
                .previous(original.current(), now().plusSeconds(30)).version(2).build(), 1);

        Verification v = verifier.verify("old-imported-value", null);
        assertThat(v.code()).isEqualTo(VerifyCode.VALID);
        assertThat(v.previousSecret()).isTrue();
        clock.advance(Duration.ofSeconds(30));
        assertThat(verifier.verify("old-imported-value", null).code()).isEqualTo(VerifyCode.NOT_FOUND);
        assertThat(verifier.verify(fresh, null).code()).isEqualTo(VerifyCode.VALID);
    }

    // ---------------------------------------------------------------- edges in time

    @Test
    void verify_expiry_isExclusiveOfItsInstant() {
        String id = Ids.next();
        String token = codec.generate(Environment.LIVE, id);
        Instant expiry = now().plusSeconds(10);
        store.create(key(id).current(generated(token)).expiresAt(expiry).build());

        clock.set(expiry.minusMillis(1));
        assertThat(verifier.verify(token, null).code()).isEqualTo(VerifyCode.VALID);
        clock.set(expiry);
        assertThat(verifier.verify(token, null).code()).isEqualTo(VerifyCode.EXPIRED);
    }

    @Test
    void verify_graceDeadline_isExclusiveOfItsInstant() {
        String id = Ids.next();
        String previous = codec.generate(Environment.LIVE, id);
        Instant deadline = now().plusSeconds(10);
        store.create(key(id).previous(generated(previous), deadline).build());

        clock.set(deadline.minusMillis(1));
        assertThat(verifier.verify(previous, null).code()).isEqualTo(VerifyCode.VALID);
        clock.set(deadline);
        assertThat(verifier.verify(previous, null).code()).isEqualTo(VerifyCode.NOT_FOUND);
    }

    // ---------------------------------------------------------------- tenants, usage, failures

    @Test
    void verify_tenantRestriction_hidesOtherTenantsKeysEvenTheirStatus() {
        String id = Ids.next();
        String token = codec.generate(Environment.LIVE, id);
        store.create(key(id).current(generated(token)).tenantId("globex").storedStatus(KeyStatus.BLOCKED).build());
        String activeId = Ids.next();
        String activeToken = codec.generate(Environment.LIVE, activeId);
        store.create(key(activeId).current(generated(activeToken)).tenantId("globex").build());

        assertThat(verifier.verify(token, CLIENT, List.of(), "acme")).isEqualTo(Verification.notFound());
        assertThat(verifier.verify(activeToken, CLIENT, List.of(), "acme")).isEqualTo(Verification.notFound());
        assertThat(uses).isEmpty();
        assertThat(verifier.verify(token, CLIENT, List.of(), "globex").code()).isEqualTo(VerifyCode.BLOCKED);
        assertThat(verifier.verify(activeToken, CLIENT, List.of(), "globex").code()).isEqualTo(VerifyCode.VALID);
        assertThat(uses).hasSize(1);
    }

    @Test
    void verify_recordsTheCanonicalClientAddress() {
        String id = Ids.next();
        String token = codec.generate(Environment.LIVE, id);
        store.create(key(id).current(generated(token)).build());

        verifier.verify(token, IpAddresses.parseAddress("2001:DB8:0:0:0:0:0:1"));
        verifier.verify(token, IpAddresses.parseAddress("::ffff:198.51.100.4"));
        verifier.verify(token, null);

        assertThat(uses).extracting(Use::ip).containsExactly("2001:db8::1", "198.51.100.4", null);
    }

    @Test
    void verify_storeUnavailable_isAnException_notADenial() {
        KeyResolver down = new KeyResolver() {
            @Override
            public @Nullable ApiKey byId(String keyId) {
                throw new StoreUnavailableException("down");
            }

            @Override
            public @Nullable ApiKey byImportedHash(SecretHash hash) {
                throw new StoreUnavailableException("down");
            }
        };
        Verifier v = new Verifier(down, codec, hasher, clock, (id, at, ip) -> uses.add(new Use(id, at, ip)));

        assertThatThrownBy(() -> v.verify(codec.generate(Environment.LIVE, Ids.next()), CLIENT))
                .isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> v.verify("imported-value-01", CLIENT)).isInstanceOf(StoreUnavailableException.class);
        assertThat(v.verify("bad", CLIENT).code()).isEqualTo(VerifyCode.MALFORMED);
        assertThat(uses).isEmpty();
    }

    @Test
    void verify_anotherPepper_findsNothing() {
        String id = Ids.next();
        String token = codec.generate(Environment.LIVE, id);
        store.create(key(id).current(generated(token)).build());
        Verifier otherPepper = new Verifier(resolver, codec, SecretHasher.hmac("other"), clock, UsageSink.NONE);

        assertThat(otherPepper.verify(token, null).code()).isEqualTo(VerifyCode.NOT_FOUND);
        assertThat(verifier.verify(token, null).code()).isEqualTo(VerifyCode.VALID);
    }
}
