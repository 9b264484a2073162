package dev.latchkey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.InMemoryKeyStore;
import dev.latchkey.testkit.Promtool;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Tests for the admin service's {@code /metrics}: Prometheus's own linter finds nothing to say. */
class MetricsLintIT {

    @Test
    void metrics_afterTraffic_passPromtoolCheckMetrics() throws Exception {
        try (LogCapture logs = new LogCapture();
                InMemoryKeyStore store = new InMemoryKeyStore();
                AdminServer server = AdminServer.builder(store).port(0).adminToken("root").build().start()) {
            String scrape = MetricsTraffic.scrapeAfterTraffic(server);
            Files.writeString(Path.of("target", "admin-metrics.txt"), scrape);
            assertThat(scrape).contains("# HELP http_server_requests_seconds ")
                    .contains("process_cpu_time_seconds_total").doesNotContain("process_cpu_time_ns")
                    .contains("system_cpu_logical ").doesNotContain("system_cpu_count");
            Promtool.assertClean(scrape);
            assertThat(logs.lines()).as("no meter is registered twice").noneMatch(l -> l.contains("already registered"));
        }
    }
}
