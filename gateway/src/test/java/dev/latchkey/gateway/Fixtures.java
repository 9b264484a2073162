package dev.latchkey.gateway;

import dev.latchkey.core.KeyStore;
import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.IpRuleInput;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.core.admin.QuotaInput;
import dev.latchkey.core.admin.RateLimitInput;
import dev.latchkey.engine.AuthSettings;
import dev.latchkey.engine.AuthSettingsBuilder;
import java.time.Clock;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Keys and settings shared by the gateway's tests. */
final class Fixtures {

    static final String PEPPER = "gateway-test-pepper";
    static final String RULES = "GET /reports/** reports:read; POST /reports/** reports:write";
    static final String EXCLUDE = "/public/**";

    private Fixtures() {
    }

    /** The engine settings every gateway test runs with: these rules, this exclude, this pepper. */
    static AuthSettingsBuilder auth() {
        return AuthSettings.builder().pepper(PEPPER).scopes(RULES).exclude(EXCLUDE).trustedProxies("127.0.0.1/32");
    }

    static KeyManager manager(KeyStore store) {
        return new KeyManager(store, TokenCodec.defaults(), SecretHasher.hmac(PEPPER), Clock.systemUTC(),
                Runnable::run);
    }

    static IssuedKey key(KeyManager manager, String... scopes) {
        return manager.create(Actor.ROOT, new CreateKeyRequest("gateway test", "tenant-a", "owner-7", null, null,
                List.of(scopes), null, null, null, null));
    }

    /** A key of tenant-a with its own rate limit and quota (either may be {@code null}: none of its own). */
    static IssuedKey limitedKey(KeyManager manager, @Nullable RateLimitInput rate, @Nullable QuotaInput quota, String... scopes) {
        return manager.create(Actor.ROOT, new CreateKeyRequest("gateway limit test", "tenant-a", null, null, null,
                List.of(scopes), null, null, null, null).withLimits(rate, quota));
    }

    /** A key allowed {@code limit} requests per hour. */
    static IssuedKey rateLimitedKey(KeyManager manager, long limit, String... scopes) {
        return limitedKey(manager, new RateLimitInput(limit, 3600L), null, scopes);
    }

    static IssuedKey restrictedKey(KeyManager manager, String cidr, String... scopes) {
        return manager.create(Actor.ROOT, new CreateKeyRequest("gateway ip test", "tenant-a", null, null, null,
                List.of(scopes), List.of(new IpRuleInput(cidr, "only here", "active")), null, null, null));
    }
}
