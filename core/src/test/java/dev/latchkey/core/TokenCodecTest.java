package dev.latchkey.core;

import dev.latchkey.core.internal.Ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tests for {@link TokenCodec}: the generated format, its checksum, imported values and hints (API.md §2). */
class TokenCodecTest {

    private static final String TOKEN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_";
    private final TokenCodec codec = TokenCodec.defaults();

    @Test
    void generate_roundTrips_idAndEnvironment() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            String id = Ids.next();
            Environment env = i % 2 == 0 ? Environment.LIVE : Environment.TEST;
            String token = codec.generate(env, id);

            assertThat(token).startsWith("lk_" + env.wire() + "_" + id);
            assertThat(token).hasSize(8 + Ids.LENGTH + TokenCodec.SECRET_LENGTH + TokenCodec.CHECKSUM_LENGTH);
            assertThat(token).matches("[A-Za-z0-9_]+");
            assertThat(codec.classify(token)).isEqualTo(TokenForm.GENERATED);
            assertThat(codec.keyIdOf(token)).isEqualTo(id);
            assertThat(codec.environmentOf(token)).isEqualTo(env);
            assertThat(seen.add(token)).isTrue();
        }
    }

    @Test
    void generate_carriesAtLeast190BitsOfSecret() {
        double bits = TokenCodec.SECRET_LENGTH * (Math.log(62) / Math.log(2));

        assertThat(bits).isGreaterThanOrEqualTo(190);
    }

    @Test
    void generate_secretsDifferForOneKeyId() {
        String id = Ids.next();
        Set<String> secrets = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String token = codec.generate(Environment.LIVE, id);
            secrets.add(token.substring(8 + Ids.LENGTH, token.length() - TokenCodec.CHECKSUM_LENGTH));
        }

        assertThat(secrets).hasSize(200);
    }

    @Test
    void generate_withCustomPrefix_isRecognisedOnlyByThatPrefix() {
        TokenCodec acme = new TokenCodec("acme2");
        String token = acme.generate(Environment.TEST, Ids.next());

        assertThat(token).startsWith("acme2_test_");
        assertThat(acme.classify(token)).isEqualTo(TokenForm.GENERATED);
        assertThat(codec.classify(token)).isNotEqualTo(TokenForm.GENERATED);
        assertThat(acme.classify(codec.generate(Environment.LIVE, Ids.next()))).isNotEqualTo(TokenForm.GENERATED);
    }

    @Test
    void generate_rejectsNonUlidKeyId() {
        assertThatThrownBy(() -> codec.generate(Environment.LIVE, "not-a-ulid"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.generate(Environment.LIVE, Ids.next().toLowerCase()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "lk-", "a/b", "abcdefghijklmnopq", "lk_"})
    void constructor_rejectsBadPrefix(String prefix) {
        assertThatThrownBy(() -> new TokenCodec(prefix)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void classify_everySingleCharacterSubstitution_isNotGenerated() {
        for (Environment env : Environment.values()) {
            String token = codec.generate(env, Ids.next());
            for (int i = 0; i < token.length(); i++) {
                for (int c = 0; c < TOKEN_CHARS.length(); c++) {
                    char replacement = TOKEN_CHARS.charAt(c);
                    if (replacement == token.charAt(i)) {
                        continue;
                    }
                    String typo = token.substring(0, i) + replacement + token.substring(i + 1);
                    assertThat(codec.classify(typo)).as("substitution at %d by %s", i, replacement)
                            .isNotEqualTo(TokenForm.GENERATED);
                }
            }
        }
    }

    @Test
    void classify_everyAdjacentTransposition_isNotGenerated() {
        String token = codec.generate(Environment.LIVE, Ids.next());
        for (int i = 0; i + 1 < token.length(); i++) {
            if (token.charAt(i) == token.charAt(i + 1)) {
                continue;
            }
            String swapped = token.substring(0, i) + token.charAt(i + 1) + token.charAt(i) + token.substring(i + 2);
            assertThat(codec.classify(swapped)).as("swap at %d", i).isNotEqualTo(TokenForm.GENERATED);
        }
    }

    @Test
    void classify_everyTruncationAndExtension_isNotGenerated() {
        String token = codec.generate(Environment.LIVE, Ids.next());
        for (int n = 0; n < token.length(); n++) {
            assertThat(codec.classify(token.substring(0, n))).as("first %d characters", n)
                    .isNotEqualTo(TokenForm.GENERATED);
            assertThat(codec.classify(token.substring(token.length() - n))).as("last %d characters", n)
                    .isNotEqualTo(TokenForm.GENERATED);
        }
        assertThat(codec.classify(token + "0")).isEqualTo(TokenForm.MALFORMED);
        assertThat(codec.classify("0" + token)).isNotEqualTo(TokenForm.GENERATED);
    }

    @Test
    void classify_prefixedButNotGenerated_isMalformed_neverImported() {
        String token = codec.generate(Environment.LIVE, Ids.next());
        String badChecksum = token.substring(0, token.length() - 1) + (token.endsWith("0") ? "1" : "0");

        assertThat(codec.classify(badChecksum)).isEqualTo(TokenForm.MALFORMED);
        assertThat(codec.classify(token.substring(0, token.length() - 1))).isEqualTo(TokenForm.MALFORMED);
        assertThat(codec.classify("lk_live_something-else")).isEqualTo(TokenForm.MALFORMED);
        assertThat(codec.classify("lk_prod_" + token.substring(8))).isEqualTo(TokenForm.MALFORMED);
    }

    @Test
    void classify_keyIdOutsideUlidRange_isMalformed() {
        String id = Ids.next();
        String tooBig = "8" + id.substring(1);
        String withI = id.substring(0, 25) + "I";
        // rebuild tokens with a valid checksum around the bad ids, so only the id check can reject them
        assertThat(codec.classify(withChecksum("lk_live_" + tooBig + "A".repeat(TokenCodec.SECRET_LENGTH))))
                .isEqualTo(TokenForm.MALFORMED);
        assertThat(codec.classify(withChecksum("lk_live_" + withI + "A".repeat(TokenCodec.SECRET_LENGTH))))
                .isEqualTo(TokenForm.MALFORMED);
        assertThat(codec.classify(withChecksum("lk_live_" + id + "A".repeat(TokenCodec.SECRET_LENGTH))))
                .isEqualTo(TokenForm.GENERATED);
    }

    /** Appends the codec's checksum, as {@link TokenCodec#generate} does, to test the other checks in isolation. */
    private static String withChecksum(String body) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        for (int i = 0; i < body.length(); i++) {
            crc.update(body.charAt(i));
        }
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        long v = crc.getValue();
        char[] digits = new char[TokenCodec.CHECKSUM_LENGTH];
        for (int i = digits.length - 1; i >= 0; i--) {
            digits[i] = alphabet.charAt((int) (v % 62));
            v /= 62;
        }
        return body + new String(digits);
    }

    @Test
    void classify_importableValues_areImported() {
        assertThat(codec.classify("abcdefgh")).isEqualTo(TokenForm.IMPORTED);
        assertThat(codec.classify("A+b-c_d/e=f0123")).isEqualTo(TokenForm.IMPORTED);
        assertThat(codec.classify("LK_live_uppercase")).isEqualTo(TokenForm.IMPORTED);
        assertThat(codec.classify("x".repeat(128))).isEqualTo(TokenForm.IMPORTED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "short", "1234567", "has space1", "dots.are.out", "percent%20", "ünïcödé1", "tab\tinside",
            "new\nline12"})
    void classify_otherValues_areMalformed(String value) {
        assertThat(codec.classify(value)).isEqualTo(TokenForm.MALFORMED);
    }

    @Test
    void importProblem_lengthEdges() {
        assertThat(codec.importProblem("a".repeat(7))).contains("8 to 128");
        assertThat(codec.importProblem("a".repeat(8))).isNull();
        assertThat(codec.importProblem("a".repeat(128))).isNull();
        assertThat(codec.importProblem("a".repeat(129))).contains("8 to 128");
        assertThat(codec.classify("a".repeat(129))).isEqualTo(TokenForm.MALFORMED);
    }

    @Test
    void importProblem_alphabet_everyAllowedAndSomeRefusedCharacters() {
        for (char c : "ABCXYZabcxyz0189+-_/=".toCharArray()) {
            assertThat(codec.importProblem("token-" + c + "-value")).as("char %s", c).isNull();
        }
        for (char c : " .,:;!?@#$%^&*()[]{}<>'\"\\|~`é\u0000\u200b".toCharArray()) {
            assertThat(codec.importProblem("token-" + c + "-value")).as("char U+%04X", (int) c)
                    .contains("[A-Za-z0-9+\\-_/=]");
        }
    }

    @Test
    void importProblem_generatedPrefix_isRefused_butSimilarPrefixesAreNot() {
        assertThat(codec.importProblem("lk_my-own-token")).contains("lk_");
        assertThat(codec.importProblem("lk_live_" + "a".repeat(20))).isNotNull();
        assertThat(codec.importProblem("lk-my-own-token")).isNull();
        assertThat(codec.importProblem("lkmy-own-token")).isNull();
        assertThat(codec.importProblem("xlk_my-own-token")).isNull();
    }

    @Test
    void importProblem_neverRepeatsTheValue() {
        for (String bad : List.of("s3cr3t!", "lk_s3cr3t-value", "s3cr3t value here", "s".repeat(200))) {
            assertThat(codec.importProblem(bad)).doesNotContain(bad).doesNotContain("s3cr3t");
        }
    }

    @Test
    void hint_generated_showsPrefixEnvironmentAndFourCharactersEachSide() {
        String id = Ids.next();
        String live = codec.generate(Environment.LIVE, id);
        String test = codec.generate(Environment.TEST, id);

        assertThat(codec.hint(live, false))
                .isEqualTo("lk_live_" + id.substring(0, 4) + "…" + live.substring(live.length() - 4));
        assertThat(codec.hint(test, false))
                .isEqualTo("lk_test_" + id.substring(0, 4) + "…" + test.substring(test.length() - 4));
        assertThat(codec.hint(live, false)).hasSize(8 + 4 + 1 + 4);
    }

    @Test
    void hint_imported_showsLastFourOnlyFromSixteenCharacters() {
        assertThat(codec.hint("abcdefghijklmno5", true)).isEqualTo("…mno5");
        assertThat(codec.hint("abcdefghijklmn5", true)).isEqualTo("…");
        assertThat(codec.hint("abcdefgh", true)).isEqualTo("…");
        assertThat(codec.hint("x".repeat(124) + "WXYZ", true)).isEqualTo("…WXYZ");
    }
}
