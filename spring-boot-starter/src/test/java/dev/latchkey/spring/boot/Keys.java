package dev.latchkey.spring.boot;

import dev.latchkey.core.KeyStore;
import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.KeyManager;
import java.time.Clock;
import java.util.List;

/** Issues keys on an application's store, as the admin service would. */
final class Keys {

    private final KeyManager manager;

    Keys(KeyStore store) {
        this.manager = new KeyManager(store, TokenCodec.defaults(), SecretHasher.forPepper(null), Clock.systemUTC(),
                Runnable::run);
    }

    IssuedKey create(CreateKeyRequest request) {
        return manager.create(Actor.ROOT, request);
    }

    IssuedKey issue(String tenant, String... scopes) {
        return manager.create(Actor.ROOT,
                CreateKeyRequest.named("starter test").withTenant(tenant).withScopes(List.of(scopes)));
    }
}
