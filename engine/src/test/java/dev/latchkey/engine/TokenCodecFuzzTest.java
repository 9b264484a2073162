package dev.latchkey.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.Environment;
import dev.latchkey.core.TokenCodec;
import dev.latchkey.core.TokenForm;
import dev.latchkey.testkit.Fuzz;
import org.junit.jupiter.api.Test;

/**
 * Seeded generated-input tests of core's {@link TokenCodec} (#21). They live here, not in core, because core's tests
 * cannot use the testkit (the testkit depends on core).
 */
class TokenCodecFuzzTest {

    private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final String IMPORT_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-_/=";
    private static final TokenCodec CODEC = TokenCodec.defaults();

    private static String keyId(Fuzz in) {
        return in.record(in.oneOf("0", "1", "2", "3", "4", "5", "6", "7") + randomOf(in, CROCKFORD, 25));
    }

    private static String randomOf(Fuzz in, String alphabet, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(in.between(0, alphabet.length() - 1)));
        }
        return sb.toString();
    }

    @Test
    void generatedTokens_roundTrip_andAnySingleCharacterChange_isNeverGenerated() {
        Fuzz.check(2101L, 3_000, in -> {
            String id = keyId(in);
            Environment env = in.oneOf(Environment.values());
            String token = in.record(CODEC.generate(env, id));
            assertThat(CODEC.classify(token)).isEqualTo(TokenForm.GENERATED);
            assertThat(CODEC.keyIdOf(token)).isEqualTo(id);
            assertThat(CODEC.environmentOf(token)).isEqualTo(env);
            assertThat(CODEC.hint(token, false)).startsWith(token.substring(0, 12)).endsWith(token.substring(72));

            int at = in.between(0, token.length() - 1);
            char replacement = in.chance(0.7) ? IMPORT_ALPHABET.charAt(in.between(0, IMPORT_ALPHABET.length() - 1))
                    : (char) in.between(0, 0xffff);
            if (replacement != token.charAt(at)) {
                String changed = in.record(token.substring(0, at) + replacement + token.substring(at + 1));
                // Past "lk_" a change leaves our prefix, so the token is judged as generated only: malformed.
                assertThat(CODEC.classify(changed)).isEqualTo(at >= 3 ? TokenForm.MALFORMED : CODEC.classify(changed))
                        .isNotEqualTo(TokenForm.GENERATED);
            }
        });
    }

    @Test
    void hostileText_isClassifiedWithoutThrowing_andImportedMeansImportable() {
        Fuzz.check(2102L, 5_000, in -> {
            String text = in.chance(0.5) ? in.hostile(160, "lk_", "lk_live_", "lk_test_", "A", "z", "9", "+", "/", "=")
                    : in.string(IMPORT_ALPHABET, 140);
            TokenForm form = CODEC.classify(text);
            String problem = CODEC.importProblem(text);
            if (form == TokenForm.IMPORTED) {
                assertThat(problem).isNull();
                assertThat(text.length()).isBetween(TokenCodec.IMPORTED_MIN, TokenCodec.IMPORTED_MAX);
                assertThat(CODEC.hint(text, true)).startsWith("…").hasSizeLessThanOrEqualTo(5);
            } else if (form == TokenForm.GENERATED) {
                assertThat(text).startsWith("lk_").hasSize(76);
            } else {
                if (problem != null && text.length() >= 4) {
                    assertThat(problem).as("the explanation never repeats the value").doesNotContain(text);
                }
            }
            assertThat(CODEC.classify(text)).as("deterministic").isEqualTo(form);
        });
    }

    @Test
    void aCodecWithAnotherPrefix_neverTakesATokenForItsOwn() {
        String alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        Fuzz.check(2103L, 2_000, in -> {
            String p1 = in.record(randomOf(in, alnum, in.between(1, 16)));
            String p2 = in.record(randomOf(in, alnum, in.between(1, 16)));
            TokenCodec a = new TokenCodec(p1);
            TokenCodec b = new TokenCodec(p2);
            String token = a.generate(in.oneOf(Environment.values()), keyId(in));
            assertThat(a.classify(token)).isEqualTo(TokenForm.GENERATED);
            if (!p1.equals(p2)) {
                assertThat(b.classify(token)).isNotEqualTo(TokenForm.GENERATED);
            }
        });
    }
}
