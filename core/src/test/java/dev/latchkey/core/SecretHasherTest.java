package dev.latchkey.core;

import dev.latchkey.core.internal.Ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Tests for {@link SecretHasher} and {@link SecretHash}. */
class SecretHasherTest {

    @Test
    void sha256_matchesTheKnownVectors() {
        SecretHasher h = SecretHasher.sha256();

        assertThat(h.hash("abc").hex())
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(h.hash("").hex())
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(h.peppered()).isFalse();
    }

    @Test
    void hmac_matchesRfc4231TestCase2() {
        SecretHasher h = SecretHasher.hmac("Jefe");

        assertThat(h.hash("what do ya want for nothing?").hex())
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        assertThat(h.peppered()).isTrue();
    }

    @Test
    void hash_nonAscii_isTheHashOfItsUtf8Bytes() throws Exception {
        byte[] expected = MessageDigest.getInstance("SHA-256").digest("tökén→".getBytes(StandardCharsets.UTF_8));

        assertThat(SecretHasher.sha256().hash("tökén→").toBytes()).isEqualTo(expected);
        assertThat(SecretHasher.sha256().hash(new StringBuilder("abc")).hex())
                .isEqualTo(SecretHasher.sha256().hash("abc").hex());
    }

    @Test
    void pepper_changesEveryHash() {
        String token = TokenCodec.defaults().generate(Environment.LIVE, Ids.next());
        SecretHash plain = SecretHasher.sha256().hash(token);
        SecretHash a = SecretHasher.hmac("pepper-a").hash(token);
        SecretHash a2 = SecretHasher.hmac("pepper-a").hash(token);
        SecretHash b = SecretHasher.hmac("pepper-b").hash(token);

        assertThat(a).isEqualTo(a2);
        assertThat(a.matches(a2)).isTrue();
        assertThat(a).isNotEqualTo(b).isNotEqualTo(plain);
        assertThat(a.matches(b)).isFalse();
        assertThat(b.matches(plain)).isFalse();
    }

    @Test
    void checkValue_agreesExactlyWhenAlgorithmAndPepperAgree() {
        assertThat(SecretHasher.hmac("p1").checkValue()).isEqualTo(SecretHasher.hmac("p1").checkValue());
        assertThat(SecretHasher.hmac("p1").checkValue()).isNotEqualTo(SecretHasher.hmac("p2").checkValue());
        assertThat(SecretHasher.hmac("p1").checkValue()).isNotEqualTo(SecretHasher.sha256().checkValue());
        assertThat(SecretHasher.sha256().checkValue()).isEqualTo(SecretHasher.sha256().checkValue());
        assertThat(SecretHasher.hmac("my-secret-pepper").checkValue()).doesNotContain("my-secret-pepper")
                .matches("[0-9a-f]{64}");
    }

    @Test
    void forPepper_emptyOrNull_isPlainSha256() {
        assertThat(SecretHasher.forPepper(null).peppered()).isFalse();
        assertThat(SecretHasher.forPepper("").peppered()).isFalse();
        assertThat(SecretHasher.forPepper("x").peppered()).isTrue();
        assertThat(SecretHasher.forPepper("x").checkValue()).isEqualTo(SecretHasher.hmac("x").checkValue());
        assertThatThrownBy(() -> SecretHasher.hmac("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toString_neverShowsThePepper() {
        assertThat(SecretHasher.hmac("my-secret-pepper").toString()).doesNotContain("my-secret-pepper");
    }

    @Test
    void hash_isThreadSafe() throws Exception {
        SecretHasher h = SecretHasher.hmac("shared");
        List<String> tokens = new ArrayList<>();
        List<SecretHash> expected = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            String t = "token-" + i + "-" + "x".repeat(i);
            tokens.add(t);
            expected.add(h.hash(t));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    for (int round = 0; round < 200; round++) {
                        for (int i = 0; i < tokens.size(); i++) {
                            if (!h.hash(tokens.get(i)).equals(expected.get(i))) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void secretHash_hexRoundTrip_equalityAndCopies() {
        SecretHash h = SecretHasher.sha256().hash("abc");
        byte[] raw = h.toBytes();

        assertThat(SecretHash.fromHex(h.hex())).isEqualTo(h).hasSameHashCodeAs(h);
        assertThat(SecretHash.of(raw)).isEqualTo(h);
        raw[0] ^= 1;
        assertThat(h.toBytes()[0]).isNotEqualTo(raw[0]);
        assertThat(SecretHash.of(raw)).isNotEqualTo(h);
        assertThat(h.toString()).doesNotContain(h.hex()).startsWith("SecretHash[ba7816bf");
    }

    @Test
    void secretHash_rejectsWrongLengths() {
        assertThatThrownBy(() -> SecretHash.of(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SecretHash.fromHex("abcd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SecretHash.fromHex("z".repeat(64))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hash_longThenShortOnOneThread_reusesNoStaleBytes() throws Exception {
        SecretHasher hasher = SecretHasher.sha256();
        String longToken = "L".repeat(300);
        String shortToken = "short-token";
        MessageDigest reference = MessageDigest.getInstance("SHA-256");

        assertThat(hasher.hash(longToken).toBytes())
                .isEqualTo(reference.digest(longToken.getBytes(StandardCharsets.US_ASCII)));
        assertThat(hasher.hash("x".repeat(256)).toBytes())
                .isEqualTo(reference.digest("x".repeat(256).getBytes(StandardCharsets.US_ASCII)));
        assertThat(hasher.hash(shortToken).toBytes())
                .isEqualTo(reference.digest(shortToken.getBytes(StandardCharsets.US_ASCII)));
        assertThat(SecretHasher.hmac("pepper").hash(shortToken))
                .isEqualTo(SecretHasher.hmac("pepper").hash(new StringBuilder(shortToken)));
    }
}
