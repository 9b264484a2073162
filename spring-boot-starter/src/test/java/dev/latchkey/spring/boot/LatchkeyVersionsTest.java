package dev.latchkey.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Tests for {@link LatchkeyVersions}: which versions stop the application, and what the message tells to do. */
class LatchkeyVersionsTest {

    @Test
    void bootFourZerosVersions_andNewer_areSupported() {
        assertThat(LatchkeyVersions.problem(LatchkeyVersions.LETTUCE, "6.8.2.RELEASE")).isNull();
        assertThat(LatchkeyVersions.problem(LatchkeyVersions.LETTUCE, "7.7.0.RELEASE")).isNull();
        assertThat(LatchkeyVersions.problem(LatchkeyVersions.CAFFEINE, "3.2.4")).isNull();
        assertThat(LatchkeyVersions.problem(LatchkeyVersions.MICROMETER, "1.16.6")).isNull();
        assertThat(LatchkeyVersions.problem(LatchkeyVersions.MICROMETER, "2.0.0-M1")).isNull();
    }

    @Test
    void olderVersion_isAProblem_namingTheFix() {
        String problem = LatchkeyVersions.problem(LatchkeyVersions.LETTUCE, "6.6.1.RELEASE");

        assertThat(problem).startsWith("Lettuce 6.6.1.RELEASE is on the class path; Latchkey needs Lettuce 6.8 or later")
                .contains("Import dev.latchkey:latchkey-bom before spring-boot-dependencies")
                .contains("<lettuce.version>7.7.0.RELEASE</lettuce.version>");
        assertThat(LatchkeyVersions.problem(LatchkeyVersions.CAFFEINE, "3.1.8")).contains("<caffeine.version>");
        assertThat(LatchkeyVersions.problem(LatchkeyVersions.MICROMETER, "1.15.9")).contains("<micrometer.version>");
    }

    @Test
    void unknownVersion_isNotJudged() {
        assertThat(LatchkeyVersions.problem(LatchkeyVersions.LETTUCE, null)).isNull();
    }

    @Test
    void testedVersions_areTheOnesThisBuildRunsOn() {
        // The starter's own build imports latchkey-bom first, so the class path holds the versions the message names.
        for (LatchkeyVersions.Library library : List.of(LatchkeyVersions.LETTUCE, LatchkeyVersions.CAFFEINE,
                LatchkeyVersions.MICROMETER)) {
            assertThat(LatchkeyVersions.versionOf(library.className())).as(library.name()).isEqualTo(library.tested());
        }
        assertThat(LatchkeyVersions.problems(List.of(LatchkeyVersions.LETTUCE, LatchkeyVersions.CAFFEINE,
                LatchkeyVersions.MICROMETER))).isEmpty();
    }

    @Test
    void failureAnalyzer_reportsTheMessageAndTheAction() {
        LatchkeyVersionException e = new LatchkeyVersionException("Lettuce 6.6.1.RELEASE is on the class path");

        FailureAnalysis analysis = new LatchkeyVersionFailureAnalyzer().analyze(new RuntimeException(e));

        assertThat(analysis.getDescription()).isEqualTo("Lettuce 6.6.1.RELEASE is on the class path");
        assertThat(analysis.getAction()).contains("latchkey-bom");
    }
}
