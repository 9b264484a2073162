package dev.latchkey.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests for {@link CompactText}'s own splitting, which must cut exactly where {@code String.split(sep, -1)} does. */
class CompactTextTest {

    @Test
    void split_keepsEmptyTokens_likeStringSplitWithNegativeLimit() {
        for (String text : List.of("", " ", "a", "a b", " a", "a ", "a  b", "  ", "ab cd ef", "%20 x")) {
            assertThat(CompactText.split(text, ' ')).as("'%s'", text).containsExactly(text.split(" ", -1));
        }
        assertThat(CompactText.split("r1 10.0.0.0/8 active,r2 ::1 inactive label,", ','))
                .containsExactly("r1 10.0.0.0/8 active", "r2 ::1 inactive label", "");
    }
}
