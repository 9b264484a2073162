package dev.latchkey.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.admin.Actor;
import dev.latchkey.core.admin.CreateKeyRequest;
import dev.latchkey.core.Environment;
import dev.latchkey.core.admin.IssuedKey;
import dev.latchkey.core.admin.KeyManager;
import dev.latchkey.core.SecretHasher;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.UsageSink;
import dev.latchkey.core.Verification;
import dev.latchkey.core.Verifier;
import dev.latchkey.core.VerifyCode;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Core's {@link Verifier} on a {@link KeyCache} whose front table holds the key: the answers are those of an uncached
 * check (a mistyped token is still malformed, a wrong secret still not found), and a mistyped token never reaches the
 * store.
 */
class CachedVerificationTest {

    private final CountingKeyStore store = new CountingKeyStore();
    private final TokenCodec codec = TokenCodec.defaults();
    private final SecretHasher hasher = SecretHasher.hmac("pepper");
    private final KeyManager manager = new KeyManager(store, codec, hasher, Clock.systemUTC(), Runnable::run);
    private final KeyCache cache = KeyCache.builder(store).evictionExecutor(Runnable::run).build();
    private final Verifier verifier = new Verifier(cache, codec, hasher, Clock.systemUTC(), UsageSink.NONE);

    @AfterEach
    void close() {
        cache.close();
        store.close();
    }

    private IssuedKey heldKey() {
        IssuedKey key = manager.create(Actor.ROOT, CreateKeyRequest.named("k").withScopes(List.of("reports:*")));
        assertThat(verifier.verify(key.token(), null).code()).isEqualTo(VerifyCode.VALID);
        assertThat(verifier.verify(key.token(), null).code()).isEqualTo(VerifyCode.VALID);
        return key;
    }

    @Test
    void heldKey_isGrantedWithoutAStoreRead_andTheSameAnswerObjectIsShared() {
        IssuedKey key = heldKey();
        int finds = store.finds.get();
        Verification first = verifier.verify(key.token(), null, List.of("reports:read"));
        Verification second = verifier.verify(key.token(), null, List.of("reports:read"));
        assertThat(first.valid()).isTrue();
        assertThat(first.key().id()).isEqualTo(key.key().id());
        assertThat(second).isSameAs(first);
        assertThat(store.finds.get()).isEqualTo(finds);
        assertThat(verifier.verify(key.token(), null, List.of("billing:read")).code())
                .isEqualTo(VerifyCode.INSUFFICIENT_SCOPE);
    }

    @Test
    void mistypedTokenOfAHeldKey_isMalformed_andReadsNothing() {
        IssuedKey key = heldKey();
        int finds = store.finds.get();
        String token = key.token();
        int at = codec.keyIdOffset() + 30; // inside the secret
        char typo = token.charAt(at) == 'a' ? 'b' : 'a';
        String mistyped = token.substring(0, at) + typo + token.substring(at + 1);
        assertThat(verifier.verify(mistyped, null).code()).isEqualTo(VerifyCode.MALFORMED);
        assertThat(verifier.verify(token.substring(0, token.length() - 1) + "!", null).code())
                .isEqualTo(VerifyCode.MALFORMED);
        assertThat(store.finds.get()).isEqualTo(finds);
    }

    @Test
    void wellFormedTokenWithAnotherSecretForAHeldKey_isNotFound() {
        IssuedKey key = heldKey();
        String forged = codec.generate(Environment.LIVE, key.key().id());
        assertThat(codec.classify(forged)).isEqualTo(dev.latchkey.core.TokenForm.GENERATED);
        assertThat(verifier.verify(forged, null).code()).isEqualTo(VerifyCode.NOT_FOUND);
    }

    @Test
    void rotatedKey_newTokenIsGranted_andTheOldOneOnlyAsThePreviousSecret() {
        IssuedKey key = heldKey();
        IssuedKey rotated = manager.rotate(Actor.ROOT, key.key().id(), false, 3600L);
        Verification fresh = verifier.verify(rotated.token(), null);
        Verification old = verifier.verify(key.token(), null);
        assertThat(fresh.valid()).isTrue();
        assertThat(fresh.previousSecret()).isFalse();
        assertThat(old.valid()).isTrue();
        assertThat(old.previousSecret()).isTrue();
    }
}
