package dev.latchkey.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** Tests for {@link Crc32}: the same values as the JDK's {@link CRC32}. */
class Crc32Test {

    @Test
    void agreesWithJavaUtilZip_onEveryLengthUpTo300() {
        Random random = new Random(20);
        for (int length = 0; length <= 300; length++) {
            byte[] b = new byte[length + 5];
            random.nextBytes(b);
            CRC32 expected = new CRC32();
            expected.update(b, 0, length);
            assertThat(Crc32.of(b, length)).as("length %d", length).isEqualTo(expected.getValue());
        }
    }

    @Test
    void matchesTheStandardCheckValue() {
        assertThat(Crc32.of("123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 9))
                .isEqualTo(0xCBF43926L);
    }
}
