package dev.latchkey.core.admin;

import dev.latchkey.core.CreditOp;
import dev.latchkey.core.Environment;
import dev.latchkey.core.IpRestriction;
import dev.latchkey.core.KeyType;
import dev.latchkey.core.Quota;
import dev.latchkey.core.QuotaPeriod;
import dev.latchkey.core.RateLimit;
import dev.latchkey.core.RuleStatus;
import dev.latchkey.core.internal.Ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tests for {@link KeyRules}: each rule of API.md §3, each limit at and just over its edge. */
class KeyRulesTest {

    private final List<FieldError> errors = new ArrayList<>();

    private List<String> codes() {
        return errors.stream().map(FieldError::code).toList();
    }

    private List<String> fields() {
        return errors.stream().map(FieldError::field).toList();
    }

    // ---------------------------------------------------------------- name

    @Test
    void name_hundredCodePoints_isAccepted_hundredAndOne_isNot() {
        String astral = "\uD835\uDC9C"; // MATHEMATICAL SCRIPT CAPITAL A: one letter, two chars
        assertThat(KeyRules.name("name", astral.repeat(100), errors)).isEqualTo(astral.repeat(100));
        assertThat(KeyRules.name("name", "a".repeat(100), errors)).hasSize(100);
        assertThat(errors).isEmpty();

        assertThat(KeyRules.name("name", astral.repeat(101), errors)).isNull();
        assertThat(KeyRules.name("name", "a".repeat(101), errors)).isNull();
        assertThat(codes()).containsExactly("size", "size");
    }

    @Test
    void name_lettersDigitsAndPunctuationOfAnyScript_areAccepted() {
        for (String ok : List.of("billing", "Billing key 2", "a_b-c.d", "Ключ", "鍵 キー", "مفتاح", "x")) {
            assertThat(KeyRules.name("name", ok, errors)).as(ok).isEqualTo(ok);
        }
        assertThat(errors).isEmpty();
    }

    @Test
    void name_combiningMarksOfOtherScripts_areAccepted_butNotFirst() {
        assertThat(KeyRules.name("name", "कुंजी", errors)).isEqualTo("कुंजी"); // Devanagari vowel signs are marks
        assertThat(KeyRules.name("name", "กุญแจ", errors)).isEqualTo("กุญแจ");
        assertThat(errors).isEmpty();

        assertThat(KeyRules.name("name", "\u0301a", errors)).isNull();
        assertThat(codes()).containsExactly("pattern");
    }

    @Test
    void name_isNfcNormalized() {
        assertThat(KeyRules.name("name", "Cafe\u0301", errors)).isEqualTo("Café");
        assertThat(errors).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil\u202Egnp.exe", "a\u200Bb", "a\u200Db", "\u2066isolate\u2069", "bell\u0007",
            "new\nline", "tab\there", "nul\u0000", "del\u007F", "line\u2028sep", "\uD800alone", "pua\uE000"})
    void name_controlFormatAndBidiCharacters_areForbidden(String name) {
        assertThat(KeyRules.name("name", name, errors)).isNull();
        assertThat(codes()).containsExactly("forbidden_characters");
    }

    @ParameterizedTest
    @ValueSource(strings = {"semi;colon", "slash/", "emoji 😀", "quote'", "<b>", "a+b", "a@b", "check ✓"})
    void name_otherSymbols_failThePattern(String name) {
        assertThat(KeyRules.name("name", name, errors)).isNull();
        assertThat(codes()).containsExactly("pattern");
    }

    @Test
    void name_missingEmptyOrBlank_isRefused() {
        KeyRules.name("name", null, errors);
        KeyRules.name("name", "", errors);
        KeyRules.name("name", "   ", errors);

        assertThat(codes()).containsExactly("required", "size", "pattern");
    }

    // ---------------------------------------------------------------- ids

    @Test
    void id_sixtyFourCharacters_isAccepted_sixtyFive_isNot() {
        assertThat(KeyRules.id("tenant_id", "t".repeat(64), errors)).hasSize(64);
        assertThat(KeyRules.id("tenant_id", "Acme.corp_1-eu", errors)).isEqualTo("Acme.corp_1-eu");
        assertThat(errors).isEmpty();

        assertThat(KeyRules.id("tenant_id", "t".repeat(65), errors)).isNull();
        assertThat(fields()).containsExactly("tenant_id");
        assertThat(codes()).containsExactly("pattern");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "a/b", "a:b", "ténant", "a\nb", "*"})
    void id_outsideTheAlphabet_isRefused(String id) {
        assertThat(KeyRules.id("owner_id", id, errors)).isNull();
        assertThat(fields()).containsExactly("owner_id");
    }

    @Test
    void id_null_isAbsentNotAnError() {
        assertThat(KeyRules.id("owner_id", null, errors)).isNull();
        assertThat(errors).isEmpty();
    }

    // ---------------------------------------------------------------- environment and type

    @Test
    void environmentAndType_defaultsAndUnknownValues() {
        assertThat(KeyRules.environment("environment", null, errors)).isEqualTo(Environment.LIVE);
        assertThat(KeyRules.environment("environment", "test", errors)).isEqualTo(Environment.TEST);
        assertThat(KeyRules.type("type", null, errors)).isEqualTo(KeyType.STANDARD);
        assertThat(KeyRules.type("type", "trial", errors)).isEqualTo(KeyType.TRIAL);
        assertThat(errors).isEmpty();

        assertThat(KeyRules.environment("environment", "LIVE", errors)).isNull();
        assertThat(KeyRules.type("type", "premium", errors)).isNull();
        assertThat(fields()).containsExactly("environment", "type");
    }

    // ---------------------------------------------------------------- scopes

    @Test
    void scopes_fiftyAreAccepted_fiftyOneAreNot() {
        List<String> fifty = numbered("s", 50);
        assertThat(KeyRules.scopes("scopes", fifty, errors)).isEqualTo(fifty);
        assertThat(errors).isEmpty();

        assertThat(KeyRules.scopes("scopes", numbered("s", 51), errors)).isEmpty();
        assertThat(codes()).containsExactly("size");
        assertThat(fields()).containsExactly("scopes");
    }

    @Test
    void scopes_eachMatchesThePattern_andErrorsNameTheIndex() {
        List<String> in = new ArrayList<>(List.of("reports:read", "Reports:read", "a".repeat(64), "a".repeat(65), "",
                "reports:*", "with space", "latchkey:admin", "x.y_z-0:*"));
        in.add(null);

        List<String> out = KeyRules.scopes("scopes", in, errors);

        assertThat(out).containsExactly("reports:read", "a".repeat(64), "reports:*", "latchkey:admin", "x.y_z-0:*");
        assertThat(fields()).containsExactly("scopes[1]", "scopes[3]", "scopes[4]", "scopes[6]", "scopes[9]");
        assertThat(errors.get(0).description()).contains("[a-z0-9:._*-]{1,64}");
    }

    @Test
    void scopes_duplicatesAreDropped_orderKept() {
        assertThat(KeyRules.scopes("scopes", List.of("b", "a", "b", "c", "a"), errors)).containsExactly("b", "a", "c");
        assertThat(KeyRules.scopes("scopes", null, errors)).isEmpty();
        assertThat(errors).isEmpty();
    }

    // ---------------------------------------------------------------- IP restrictions

    @Test
    void ipRestrictions_hundredAreAccepted_hundredAndOneAreNot() {
        List<IpRuleInput> hundred = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            hundred.add(new IpRuleInput("10.0." + i + ".0/24", null, null));
        }
        assertThat(KeyRules.ipRestrictions("ip_restrictions", hundred.subList(0, 100), errors)).hasSize(100);
        assertThat(errors).isEmpty();

        assertThat(KeyRules.ipRestrictions("ip_restrictions", hundred, errors)).isEmpty();
        assertThat(codes()).containsExactly("size");
    }

    @Test
    void ipRestrictions_hostBitsSet_isAnErrorWithAHint() {
        KeyRules.ipRestrictions("ip_restrictions", List.of(new IpRuleInput("10.0.0.1/8", null, null),
                new IpRuleInput("2001:db8::1/32", null, null)), errors);

        assertThat(fields()).containsExactly("ip_restrictions[0].value", "ip_restrictions[1].value");
        assertThat(errors.get(0).description()).contains("host bits").contains("10.0.0.0/8");
        assertThat(errors.get(1).description()).contains("host bits").contains("2001:db8::/32");
    }

    @Test
    void ipRestrictions_ipv4AndIpv6AddressesAndBlocks_areParsedWithIdsAndStatus() {
        List<IpRestriction> rules = KeyRules.ipRestrictions("ip_restrictions", List.of(
                new IpRuleInput("203.0.113.0/24", "office", null),
                new IpRuleInput("198.51.100.7", null, "active"),
                new IpRuleInput("2001:db8::/32", "v6", "inactive"),
                new IpRuleInput("2001:DB8:0:0:0:0:0:1", null, null)), errors);

        assertThat(errors).isEmpty();
        assertThat(rules).extracting(IpRestriction::value)
                .containsExactly("203.0.113.0/24", "198.51.100.7", "2001:db8::/32", "2001:db8::1");
        assertThat(rules).extracting(IpRestriction::status)
                .containsExactly(RuleStatus.ACTIVE, RuleStatus.ACTIVE, RuleStatus.INACTIVE, RuleStatus.ACTIVE);
        assertThat(rules).extracting(IpRestriction::label).containsExactly("office", null, "v6", null);
        assertThat(rules).extracting(IpRestriction::id).allMatch(Ids::isValid).doesNotHaveDuplicates();
    }

    @Test
    void ipRestrictions_badValueStatusLabelOrNull_areErrorsPerField() {
        List<IpRuleInput> in = new ArrayList<>(List.of(
                new IpRuleInput("300.0.0.1", null, null),
                new IpRuleInput("10.0.0.0/8", null, "paused"),
                new IpRuleInput("10.0.0.0/8", "l".repeat(101), null),
                new IpRuleInput("10.0.0.0/8", "l".repeat(100), null),
                new IpRuleInput(null, null, null),
                new IpRuleInput("10.0.0.0/8", "bidi\u202E", null)));
        in.add(null);

        List<IpRestriction> out = KeyRules.ipRestrictions("ip_restrictions", in, errors);

        assertThat(out).hasSize(1);
        assertThat(fields()).containsExactly("ip_restrictions[0].value", "ip_restrictions[1].status",
                "ip_restrictions[2].label", "ip_restrictions[4].value", "ip_restrictions[5].label",
                "ip_restrictions[6]");
    }

    // ---------------------------------------------------------------- metadata

    @Test
    void metadata_thirtyTwoPairsAreAccepted_thirtyThreeAreNot() {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (int i = 0; i < 32; i++) {
            pairs.put("k" + i, "v" + i);
        }
        assertThat(KeyRules.metadata("metadata", pairs, errors)).containsExactlyEntriesOf(pairs);
        assertThat(errors).isEmpty();

        pairs.put("k32", "v32");
        assertThat(KeyRules.metadata("metadata", pairs, errors)).isEmpty();
        assertThat(codes()).containsExactly("size");
    }

    @Test
    void metadata_keySixtyFour_valueFiveHundredTwelve_atAndOverTheEdge() {
        Map<String, String> ok = Map.of("k".repeat(64), "v".repeat(512));
        assertThat(KeyRules.metadata("metadata", ok, errors)).isEqualTo(ok);
        assertThat(errors).isEmpty();

        KeyRules.metadata("metadata", Map.of("k".repeat(65), "v"), errors);
        KeyRules.metadata("metadata", Map.of("region", "v".repeat(513)), errors);
        assertThat(codes()).containsExactly("invalid_key", "size");
        assertThat(fields()).containsExactly("metadata", "metadata.region");
    }

    @Test
    void metadata_emptyKeyNullValueAndControlCharacters_areRefused() {
        Map<String, String> in = new LinkedHashMap<>();
        in.put("", "v");
        in.put("nullish", null);
        in.put("ctl", "a\u0000b");
        in.put("fine", "");
        in.put("k\u202E", "v");

        Map<String, String> out = KeyRules.metadata("metadata", in, errors);

        assertThat(out).containsExactly(Map.entry("fine", ""));
        assertThat(codes()).containsExactly("invalid_key", "required", "size", "invalid_key");
    }

    @Test
    void metadata_keepsInsertionOrder() {
        Map<String, String> in = new LinkedHashMap<>();
        for (String k : List.of("z", "a", "m", "b")) {
            in.put(k, k);
        }

        assertThat(KeyRules.metadata("metadata", in, errors).keySet()).containsExactly("z", "a", "m", "b");
    }

    // ---------------------------------------------------------------- grace, expiry, reason

    @Test
    void graceSeconds_zeroAndSevenDays_areAccepted_overOrNegativeAreNot() {
        assertThat(KeyRules.graceSeconds("grace_seconds", null, errors)).isEqualTo(21_600);
        assertThat(KeyRules.graceSeconds("grace_seconds", 0L, errors)).isZero();
        assertThat(KeyRules.graceSeconds("grace_seconds", 604_800L, errors)).isEqualTo(604_800);
        assertThat(errors).isEmpty();

        KeyRules.graceSeconds("grace_seconds", 604_801L, errors);
        KeyRules.graceSeconds("grace_seconds", -1L, errors);
        assertThat(codes()).containsExactly("range", "range");
        assertThat(fields()).containsOnly("grace_seconds");
    }

    @Test
    void futureInstant_mustLieAfterNow() {
        Instant now = Instant.parse("2026-11-23T10:15:30Z");

        assertThat(KeyRules.futureInstant("expires_at", "2026-11-23T10:15:31Z", now, errors))
                .isEqualTo(Instant.parse("2026-11-23T10:15:31Z"));
        assertThat(KeyRules.futureInstant("expires_at", null, now, errors)).isNull();
        assertThat(errors).isEmpty();

        KeyRules.futureInstant("expires_at", "2026-11-23T10:15:30Z", now, errors);
        KeyRules.futureInstant("expires_at", "2020-01-01T00:00:00Z", now, errors);
        KeyRules.futureInstant("expires_at", "2026-11-23T10:15:29.999999999Z", now, errors);
        KeyRules.futureInstant("expires_at", "tomorrow", now, errors);
        assertThat(codes()).containsExactly("future", "future", "future", "invalid");
    }

    @Test
    void futureInstant_isKeptToTheMillisecond_roundedUp() {
        Instant now = Instant.parse("2026-11-23T10:15:30Z");

        assertThat(KeyRules.futureInstant("expires_at", "2030-01-01T00:00:00.123456789Z", now, errors))
                .isEqualTo(Instant.parse("2030-01-01T00:00:00.124Z"));
        assertThat(KeyRules.futureInstant("expires_at", "2030-01-01T00:00:00.123000000Z", now, errors))
                .isEqualTo(Instant.parse("2030-01-01T00:00:00.123Z"));
        assertThat(KeyRules.futureInstant("expires_at", "2026-11-23T10:15:30.000001Z", now, errors))
                .as("a microsecond after now is still the future, a millisecond later")
                .isEqualTo(Instant.parse("2026-11-23T10:15:30.001Z"));
        assertThat(errors).isEmpty();
    }

    @Test
    void reason_twoHundredCharacters_isAccepted_twoHundredOne_isNot() {
        assertThat(KeyRules.reason("reason", "r".repeat(200), errors)).hasSize(200);
        assertThat(KeyRules.reason("reason", null, errors)).isNull();
        assertThat(errors).isEmpty();

        KeyRules.reason("reason", "r".repeat(201), errors);
        KeyRules.reason("reason", "line\nbreak", errors);
        assertThat(codes()).containsExactly("size", "size");
    }

    @Test
    void throwIfAny_listsEveryError() {
        KeyRules.throwIfAny(errors);
        errors.add(new FieldError("a", "required", "is required"));
        errors.add(new FieldError("b", "pattern", "must match x"));

        assertThatThrownBy(() -> KeyRules.throwIfAny(errors))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.errors()).hasSize(2);
                    assertThat(e.getMessage()).isEqualTo("a is required (and 1 more)");
                });
    }

    private static List<String> numbered(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    // ---------------------------------------------------------------- limits (API.md §8)

    @Test
    void rateLimit_edges_andFieldNames() {
        assertThat(LimitRules.rateLimit("rate_limit", new RateLimitInput(1L, 1L), errors)).isEqualTo(new RateLimit(1, 1));
        assertThat(LimitRules.rateLimit("rate_limit", new RateLimitInput(1_000_000L, 86_400L), errors))
                .isEqualTo(new RateLimit(1_000_000, 86_400));
        assertThat(errors).isEmpty();

        assertThat(LimitRules.rateLimit("rate_limit", new RateLimitInput(0L, 86_401L), errors)).isNull();
        assertThat(LimitRules.rateLimit("rate_limit", new RateLimitInput(1_000_001L, null), errors)).isNull();
        assertThat(fields()).containsExactly("rate_limit.limit", "rate_limit.period_seconds", "rate_limit.limit",
                "rate_limit.period_seconds");
        assertThat(codes()).containsExactly("range", "range", "range", "required");
    }

    @Test
    void quota_edges_periods_andRemaining() {
        Quota q = LimitRules.quota("quota", new QuotaInput(1_000_000_000_000L, "month", 5L), true, errors);
        assertThat(q).isEqualTo(new Quota(1_000_000_000_000L, QuotaPeriod.MONTH));
        assertThat(LimitRules.quotaRemaining("quota", new QuotaInput(10L, "day", 10L), new Quota(10, QuotaPeriod.DAY),
                errors)).isEqualTo(10L);
        assertThat(errors).isEmpty();

        assertThat(LimitRules.quota("quota", new QuotaInput(0L, "week", null), true, errors)).isNull();
        assertThat(LimitRules.quota("quota", new QuotaInput(10L, null, null), true, errors)).isNull();
        assertThat(LimitRules.quotaRemaining("quota", new QuotaInput(10L, "day", 11L), new Quota(10, QuotaPeriod.DAY),
                errors)).isNull();
        assertThat(LimitRules.quota("quota", new QuotaInput(10L, "none", 3L), false, errors)).isNull();
        assertThat(fields()).containsExactly("quota.limit", "quota.period", "quota.period", "quota.remaining",
                "quota.remaining");
        assertThat(codes()).containsExactly("range", "invalid", "required", "range", "unknown");
    }

    @Test
    void cost_andCreditAmounts_edges() {
        assertThat(LimitRules.cost("cost", null, errors)).isEqualTo(1);
        assertThat(LimitRules.cost("cost", 0L, errors)).isZero();
        assertThat(LimitRules.cost("cost", 1_000_000L, errors)).isEqualTo(1_000_000);
        assertThat(LimitRules.creditAmount("amount", 0L, CreditOp.SET, errors)).isZero();
        assertThat(LimitRules.creditAmount("amount", 1_000_000_000_000L, CreditOp.INCREMENT, errors))
                .isEqualTo(1_000_000_000_000L);
        assertThat(errors).isEmpty();

        LimitRules.cost("cost", 1_000_001L, errors);
        LimitRules.cost("cost", -1L, errors);
        LimitRules.creditAmount("amount", 0L, CreditOp.DECREMENT, errors);
        LimitRules.creditAmount("amount", 1_000_000_000_001L, CreditOp.SET, errors);
        LimitRules.creditAmount("amount", null, CreditOp.SET, errors);
        assertThat(LimitRules.creditOp("op", "add", errors)).isNull();
        assertThat(fields()).containsExactly("cost", "cost", "amount", "amount", "amount", "op");
        assertThat(codes()).containsExactly("range", "range", "range", "range", "required", "invalid");
    }
}
