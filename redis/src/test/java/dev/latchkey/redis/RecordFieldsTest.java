package dev.latchkey.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tests for {@link RecordFields}: slots for the compact names, a map for the rest, read as one ordinary map. */
class RecordFieldsTest {

    @Test
    void compactNamesAndOtherNames_readAsOneMap_equalToAHashMapOfTheSameFields() {
        RecordFields f = new RecordFields();
        f.put(RecordFields.slot("v"), "3");
        f.put(RecordFields.slot("n"), "first");
        f.put(RecordFields.slot("n"), "second");
        f.putOther("tenant_id", "acme");

        assertThat(f).hasSize(3).isEqualTo(Map.of("v", "3", "n", "second", "tenant_id", "acme"));
        assertThat(f.get("n")).isEqualTo("second");
        assertThat(f.containsKey("v")).isTrue();
        assertThat(f.containsKey("e")).isFalse();
        assertThat(f.get("e")).isNull();
        assertThat(f.get("tenant_id")).isEqualTo("acme");
        assertThat(f.get(42)).isNull();
        assertThat(f.hasPieces()).isFalse();
    }

    @Test
    void aPieceName_marksTheRecordCut() {
        RecordFields f = new RecordFields();
        f.put(RecordFields.slot("n"), "a long name, ");
        f.putOther("n+1", "continued");

        assertThat(f.hasPieces()).isTrue();
        assertThat(f).containsEntry("n+1", "continued").hasSize(2);
    }

    @Test
    void onlyTheCompactEncodingsNames_haveSlots() {
        assertThat(RecordFields.COMPACT).allSatisfy(name -> assertThat(RecordFields.slot(name)).isNotNegative());
        assertThat(RecordFields.slot("version")).isEqualTo(-1);
        assertThat(RecordFields.slot("n+1")).isEqualTo(-1);
        assertThat(new RecordFields()).isEmpty();
    }
}
