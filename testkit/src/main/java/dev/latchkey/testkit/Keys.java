package dev.latchkey.testkit;

import dev.latchkey.core.ApiKey;
import dev.latchkey.core.Credential;
import dev.latchkey.core.Environment;
import dev.latchkey.core.IpRestriction;
import dev.latchkey.core.KeyStatus;
import dev.latchkey.core.KeyType;
import dev.latchkey.core.Quota;
import dev.latchkey.core.QuotaPeriod;
import dev.latchkey.core.RateLimit;
import dev.latchkey.core.RuleStatus;
import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.StatusChange;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.internal.Ids;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test data for stores: keys and credentials built directly, for tests that drive the {@link dev.latchkey.core.KeyStore}
 * SPI without {@link dev.latchkey.core.admin.KeyManager}. Tokens use {@link #CODEC} and are hashed with {@link #HASHER},
 * the same pair {@link KeyStoreContract} verifies with.
 */
public final class Keys {

    /** The token format of test keys (prefix {@code lk}). */
    public static final TokenCodec CODEC = TokenCodec.defaults();
    /** The hasher of test keys (plain SHA-256). */
    public static final SecretHasher HASHER = SecretHasher.sha256();

    private Keys() {
    }

    /** Returns the credential of a generated token. */
    public static Credential generated(String token) {
        return new Credential(HASHER.hash(token), CODEC.hint(token, false), false);
    }

    /** Returns the credential of an imported token. */
    public static Credential imported(String token) {
        return new Credential(HASHER.hash(token), CODEC.hint(token, true), true);
    }

    /** Returns a fresh generated token for a key id. */
    public static String token(String keyId) {
        return CODEC.generate(Environment.LIVE, keyId);
    }

    /**
     * Starts a minimal active live key created at {@code now}, with a new id, the name {@code name} and a generated
     * credential; tenant {@code default}, version 1.
     */
    public static ApiKey.Builder key(String name, Instant now) {
        String id = Ids.next();
        return ApiKey.builder()
                .id(id)
                .name(name)
                .createdAt(now)
                .updatedAt(now)
                .current(generated(token(id)));
    }

    /** Returns a minimal active live key created at {@code now} (see {@link #key}). */
    public static ApiKey minimal(Instant now) {
        return key("minimal", now).build();
    }

    /**
     * Returns a key with every field set to something other than its default: owner, test environment, trial type,
     * inactive status, scopes, IPv4 and IPv6 rules (one inactive, one without label), ordered metadata, expiry, a
     * previous credential in its grace window and a status change. Stores must give it back equal, field for field.
     */
    public static ApiKey full(Instant now) {
        String id = Ids.next();
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("team", "payments");
        metadata.put("ünïcode", "välue with spaces, \"quotes\" and = signs");
        metadata.put("empty", "");
        return ApiKey.builder()
                .id(id)
                .tenantId("tenant-full.1")
                .ownerId("owner_7")
                .name("Full key ✓ Ünïcode")
                .environment(Environment.TEST)
                .type(KeyType.TRIAL)
                .storedStatus(KeyStatus.INACTIVE)
                .scopes(List.of("reports:read", "reports:*", "billing.write"))
                .ipRestrictions(List.of(
                        IpRestriction.of(Ids.next(), "203.0.113.0/24", "office", RuleStatus.ACTIVE),
                        IpRestriction.of(Ids.next(), "2001:db8::/32", null, RuleStatus.INACTIVE),
                        IpRestriction.of(Ids.next(), "198.51.100.7", "vpn", RuleStatus.ACTIVE)))
                .metadata(metadata)
                .createdAt(now.minus(Duration.ofDays(2)))
                .updatedAt(now.minus(Duration.ofHours(1)))
                .expiresAt(now.plus(Duration.ofDays(10)))
                .current(generated(CODEC.generate(Environment.TEST, id)))
                .previous(generated(CODEC.generate(Environment.TEST, id)), now.plus(Duration.ofHours(5)))
                .statusChange(new StatusChange(now.minus(Duration.ofHours(1)), "root", "paused by ops"))
                .version(1)
                .rateLimit(new RateLimit(100, 60))
                .quota(new Quota(1_000_000_000_000L, QuotaPeriod.MONTH))
                .build();
    }
}
