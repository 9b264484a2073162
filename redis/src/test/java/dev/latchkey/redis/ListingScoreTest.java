package dev.latchkey.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Tests for {@link Listing#score}: the creation time a listing index answers, however Redis writes it. */
class ListingScoreTest {

    @Test
    void plainDigits_readAsTheExactLong() {
        assertThat(Listing.score("1764806400123456")).isEqualTo(1_764_806_400_123_456L);
        assertThat(Listing.score("0")).isZero();
        assertThat(Listing.score("-42")).isEqualTo(-42L);
    }

    @Test
    void anyOtherForm_readsAsADoubleCutToWholeMicroseconds() {
        assertThat(Listing.score("1.764806400123456e+15")).isEqualTo(1_764_806_400_123_456L);
        assertThat(Listing.score("17.9")).isEqualTo(17L);
        assertThat(Listing.score("12345678901234567890")).isEqualTo((long) 12345678901234567890.0);
    }
}
