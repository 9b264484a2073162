package dev.latchkey.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tests for {@link Collections2#orderedCopy}. */
class Collections2Test {

    @Test
    void orderedCopy_keepsTheSourceOrder_andCannotBeChanged() {
        Map<String, String> source = new LinkedHashMap<>();
        source.put("z", "1");
        source.put("a", "2");
        source.put("m", "3");

        Map<String, String> copy = Collections2.orderedCopy(source);
        source.put("late", "4");

        assertThat(copy.keySet()).containsExactly("z", "a", "m");
        assertThatThrownBy(() -> copy.put("b", "5")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void orderedCopy_ofOneEntry_isMapOfs_andAMapOfIsTakenAsItIs() {
        Map<String, String> single = Map.of("team", "payments");
        Map<String, String> fromHashMap = Collections2.orderedCopy(new HashMap<>(single));

        assertThat(Collections2.orderedCopy(single)).isSameAs(single);
        assertThat(fromHashMap).isEqualTo(single).isInstanceOf(single.getClass());
        assertThat(Collections2.orderedCopy(new HashMap<>())).isEmpty();
    }

    @Test
    void orderedCopy_rejectsANullKeyOrValue() {
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("k", null);
        Map<String, String> nullKey = new LinkedHashMap<>();
        nullKey.put("a", "1");
        nullKey.put(null, "2");

        assertThatThrownBy(() -> Collections2.orderedCopy(nullValue)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Collections2.orderedCopy(nullKey)).isInstanceOf(NullPointerException.class);
    }
}
