package dev.latchkey.core.admin;

import dev.latchkey.core.HistoryGranularity;
import dev.latchkey.core.UsageBucket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests for {@link HistoryRange}: the range rules of {@code GET /v1/keys/{id}/usage} (API.md §10). */
class HistoryRangeTest {

    private final Instant now = Instant.parse("2026-12-03T10:15:30Z");

    @Test
    void defaults_areAnHourOfMinutes_aDayOfHours_30DaysOfDays_endingNowRoundedUp() {
        HistoryRange m = HistoryRange.parse(null, null, null, now);
        assertThat(m.granularity()).isEqualTo(HistoryGranularity.MINUTE);
        assertThat(m.from()).isEqualTo("2026-12-03T09:15:00Z");
        assertThat(m.to()).isEqualTo("2026-12-03T10:16:00Z");
        assertThat(m.series(List.of())).hasSize(61);
        HistoryRange h = HistoryRange.parse(null, null, "hour", now);
        assertThat(h.from()).isEqualTo("2026-12-02T10:00:00Z");
        assertThat(h.to()).isEqualTo("2026-12-03T11:00:00Z");
        HistoryRange d = HistoryRange.parse(null, null, "day", now);
        assertThat(d.from()).isEqualTo("2026-11-03T00:00:00Z");
        assertThat(d.series(List.of())).hasSize(31);
    }

    @Test
    void alignedTo_isNotRoundedFurther_andSeriesFillsZeros() {
        HistoryRange r = HistoryRange.parse("2026-12-03T10:00:10Z", "2026-12-03T10:03:00Z", "minute", now);
        assertThat(r.from()).isEqualTo("2026-12-03T10:00:00Z");
        assertThat(r.to()).isEqualTo("2026-12-03T10:03:00Z");
        List<UsageBucket> s = r.series(List.of(new UsageBucket(Instant.parse("2026-12-03T10:01:00Z"), 4, 1, 2)));
        assertThat(s).extracting(UsageBucket::valid).containsExactly(0L, 4L, 0L);
    }

    @Test
    void badTimeGranularityOrder_orTooManyBuckets_areValidationErrors() {
        assertThatThrownBy(() -> HistoryRange.parse("yesterday", null, null, now))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> HistoryRange.parse(null, null, "week", now)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> HistoryRange.parse("2026-12-03T10:00:00Z", "2026-12-03T10:00:00Z", null, now))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> HistoryRange.parse("2026-12-03T10:00:00Z", "2026-12-03T09:00:00Z", null, now))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> HistoryRange.parse("2026-12-01T10:00:00Z", "2026-12-02T10:01:00Z", null, now))
                .isInstanceOf(ValidationException.class);
        assertThat(HistoryRange.parse("2026-12-01T10:00:00Z", "2026-12-02T10:00:00Z", null, now).series(List.of()))
                .hasSize(1_440);
    }
}
