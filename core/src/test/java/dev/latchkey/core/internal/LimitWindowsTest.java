package dev.latchkey.core.internal;

import dev.latchkey.core.QuotaPeriod;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Tests for {@link LimitWindows}: aligned windows, day and month periods, month ends and leap years. */
class LimitWindowsTest {

    private static long at(String instant) {
        return Instant.parse(instant).getEpochSecond();
    }

    @Test
    void windowStart_isUnixTimeRoundedDownToAMultipleOfThePeriod() {
        assertThat(LimitWindows.windowStart(1_000_059, 60)).isEqualTo(1_000_020);
        assertThat(LimitWindows.windowStart(1_000_020, 60)).isEqualTo(1_000_020);
        assertThat(LimitWindows.windowEnd(1_000_019, 60)).isEqualTo(1_000_020);
        assertThat(LimitWindows.windowStart(at("2026-12-03T10:15:30Z"), 86_400)).isEqualTo(at("2026-12-03T00:00:00Z"));
        assertThat(LimitWindows.windowStart(17, 1)).isEqualTo(17);
    }

    @Test
    void secondsUntil_roundsUp_andIsAtLeastOne() {
        Instant now = Instant.parse("2026-12-03T10:15:30.001Z");
        assertThat(LimitWindows.secondsUntil(now, at("2026-12-03T10:16:00Z"))).isEqualTo(30);
        assertThat(LimitWindows.secondsUntil(Instant.parse("2026-12-03T10:15:30Z"), at("2026-12-03T10:16:00Z")))
                .isEqualTo(30);
        assertThat(LimitWindows.secondsUntil(Instant.parse("2026-12-03T10:15:59.999Z"), at("2026-12-03T10:16:00Z")))
                .isEqualTo(1);
        assertThat(LimitWindows.secondsUntil(Instant.parse("2026-12-03T10:16:00Z"), at("2026-12-03T10:16:00Z")))
                .isEqualTo(1);
    }

    @Test
    void dayPeriod_startsAtUtcMidnight_andRefillsAtTheNext() {
        long t = at("2026-12-03T23:59:59Z");
        assertThat(LimitWindows.periodStart(t, QuotaPeriod.DAY)).isEqualTo(at("2026-12-03T00:00:00Z"));
        assertThat(LimitWindows.refillsAt(t, QuotaPeriod.DAY)).isEqualTo(Instant.parse("2026-12-04T00:00:00Z"));
        assertThat(LimitWindows.periodLength(t, QuotaPeriod.DAY)).isEqualTo(86_400);
    }

    @Test
    void monthPeriod_lastSecondOfAMonth_andFirstOfTheNext() {
        long last = at("2026-01-31T23:59:59Z");
        long first = last + 1;
        assertThat(LimitWindows.periodStart(last, QuotaPeriod.MONTH)).isEqualTo(at("2026-01-01T00:00:00Z"));
        assertThat(LimitWindows.refillsAt(last, QuotaPeriod.MONTH)).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
        assertThat(LimitWindows.periodStart(first, QuotaPeriod.MONTH)).isEqualTo(first);
        assertThat(LimitWindows.refillsAt(first, QuotaPeriod.MONTH)).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(LimitWindows.refillDue(LimitWindows.periodStart(last, QuotaPeriod.MONTH), first, QuotaPeriod.MONTH))
                .isTrue();
        assertThat(LimitWindows.refillDue(LimitWindows.periodStart(first, QuotaPeriod.MONTH), first + 86_400 * 27,
                QuotaPeriod.MONTH)).isFalse();
    }

    @Test
    void monthLength_followsTheCalendar_includingLeapFebruaries() {
        assertThat(LimitWindows.monthLength(at("2026-02-14T12:00:00Z"))).isEqualTo(28 * 86_400L);
        assertThat(LimitWindows.monthLength(at("2028-02-29T23:59:59Z"))).isEqualTo(29 * 86_400L);
        assertThat(LimitWindows.monthLength(at("2026-04-30T00:00:00Z"))).isEqualTo(30 * 86_400L);
        assertThat(LimitWindows.monthLength(at("2026-12-31T23:59:59Z"))).isEqualTo(31 * 86_400L);
        assertThat(LimitWindows.refillsAt(at("2026-12-31T23:59:59Z"), QuotaPeriod.MONTH))
                .isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    }

    @Test
    void everyMonthOfFourYears_agreesWithJavaTime() {
        for (LocalDate d = LocalDate.of(2026, 1, 1); d.isBefore(LocalDate.of(2030, 1, 1)); d = d.plusMonths(1)) {
            long start = d.atStartOfDay().toEpochSecond(ZoneOffset.UTC);
            long next = d.plusMonths(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
            for (long t : new long[] {start, start + 1, next - 1}) {
                assertThat(LimitWindows.periodStart(t, QuotaPeriod.MONTH)).as("%s", d).isEqualTo(start);
                assertThat(LimitWindows.nextPeriodStart(t, QuotaPeriod.MONTH)).as("%s", d).isEqualTo(next);
            }
        }
    }

    @Test
    void nonePeriod_neverRefills() {
        long t = at("2026-12-03T10:00:00Z");
        assertThat(LimitWindows.periodStart(t, QuotaPeriod.NONE)).isEqualTo(LimitWindows.NO_PERIOD);
        assertThat(LimitWindows.refillsAt(t, QuotaPeriod.NONE)).isNull();
        assertThat(LimitWindows.refillDue(LimitWindows.NO_PERIOD, t + 10 * 86_400, QuotaPeriod.NONE)).isFalse();
        assertThat(LimitWindows.periodLength(t, QuotaPeriod.NONE)).isEqualTo(LimitWindows.NO_PERIOD);
    }
}
