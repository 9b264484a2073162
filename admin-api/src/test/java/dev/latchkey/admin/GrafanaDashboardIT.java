package dev.latchkey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.core.KeyStore;
import dev.latchkey.redis.RedisKeyStore;
import dev.latchkey.testkit.Promtool;
import dev.latchkey.testkit.RedisServer;
import dev.latchkey.testkit.WithRedis;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tests for {@code docs/grafana/latchkey.json}: every PromQL query in the dashboard names only metrics that a real
 * admin service on Redis exports after some traffic (so a renamed meter breaks this test, not an operator's
 * dashboard), and that scrape passes {@code promtool check metrics} too.
 */
@WithRedis
class GrafanaDashboardIT {

    private static final Path DASHBOARD = Path.of("..", "docs", "grafana", "latchkey.json");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "and", "or", "unless", "offset", "bool", "inf", "nan");

    private static String scrape;

    @BeforeAll
    static void scrape(RedisServer redis) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (KeyStore store = RedisKeyStore.builder().uri(redis.uri()).keyPrefix(redis.uniqueKeyPrefix())
                .commandTimeout(Duration.ofSeconds(5)).meterRegistry(registry).build();
                AdminServer server = AdminServer.builder(store).port(0).adminToken("root").registry(registry).build()
                        .start()) {
            scrape = MetricsTraffic.scrapeAfterTraffic(server);
        }
        Files.writeString(Path.of("target", "admin-metrics-redis.txt"), scrape);
    }

    @Test
    void dashboard_queriesNameOnlyMetricsTheServiceExports() throws Exception {
        JsonNode dashboard = Http.JSON.readTree(Files.readString(DASHBOARD));
        Set<String> exported = exportedNames(scrape);
        List<String> queries = new ArrayList<>();
        collectQueries(dashboard, queries);
        assertThat(queries).hasSizeGreaterThanOrEqualTo(10);
        Set<String> used = new TreeSet<>();
        for (String q : queries) {
            Set<String> names = metricNames(q);
            assertThat(names).as("metrics in %s", q).isNotEmpty();
            used.addAll(names);
        }
        assertThat(exported).as("metrics the admin service exports").containsAll(used);
        assertThat(used).contains("latchkey_auth_requests_total", "latchkey_auth_duration_seconds_count",
                "cache_gets_total", "latchkey_usage_pending", "latchkey_usage_flushes_seconds_count",
                "latchkey_cache_invalidations_total", "latchkey_auth_previous_token_total",
                "http_server_requests_seconds_count", "jvm_memory_used_bytes",
                "lettuce_command_completion_seconds_count");
    }

    @Test
    void dashboard_isAGrafana10DashboardOnAPrometheusDatasourceVariable() throws Exception {
        JsonNode dashboard = Http.JSON.readTree(Files.readString(DASHBOARD));
        assertThat(dashboard.get("schemaVersion").asInt()).isGreaterThanOrEqualTo(38);
        assertThat(dashboard.get("uid").asText()).isNotBlank();
        assertThat(dashboard.at("/templating/list/0/type").asText()).isEqualTo("datasource");
        assertThat(dashboard.at("/templating/list/0/query").asText()).isEqualTo("prometheus");
        for (JsonNode panel : dashboard.get("panels")) {
            assertThat(panel.has("gridPos")).as("gridPos of %s", panel.get("title")).isTrue();
            if (!panel.get("type").asText().equals("row")) {
                assertThat(panel.at("/datasource/uid").asText()).isEqualTo("${datasource}");
            }
        }
    }

    @Test
    void metrics_onRedis_passPromtoolCheckMetrics() {
        assertThat(scrape).contains("lettuce_command_completion_seconds");
        Promtool.assertClean(scrape);
    }

    /** The sample names of a scrape: each line's name before its labels or value. */
    static Set<String> exportedNames(String text) {
        Set<String> names = new TreeSet<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                Matcher m = IDENTIFIER.matcher(line);
                if (m.lookingAt()) {
                    names.add(m.group());
                }
            }
        }
        return names;
    }

    /**
     * The metric names a PromQL expression selects: identifiers left once label matchers, grouping clauses,
     * range durations and Grafana variables are removed, that are neither functions (followed by a parenthesis)
     * nor PromQL keywords.
     */
    static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\$\\{?[A-Za-z_]+}?", " ")
                .replaceAll("\"[^\"]*\"", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String id = m.group();
            int after = m.end();
            while (after < s.length() && s.charAt(after) == ' ') {
                after++;
            }
            boolean call = after < s.length() && s.charAt(after) == '(';
            boolean partOfNumber = m.start() > 0 && Character.isDigit(s.charAt(m.start() - 1));
            if (!call && !partOfNumber && !PROMQL_WORDS.contains(id.toLowerCase(java.util.Locale.ROOT))) {
                names.add(id);
            }
        }
        return names;
    }

    private static void collectQueries(JsonNode node, List<String> out) {
        if (node.isObject() && node.has("expr")) {
            out.add(node.get("expr").asText());
        }
        node.forEach(child -> collectQueries(child, out));
    }
}
