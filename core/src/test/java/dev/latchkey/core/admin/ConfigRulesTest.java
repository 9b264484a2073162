package dev.latchkey.core.admin;

import dev.latchkey.core.JdbcUrls;
import dev.latchkey.core.StorageKind;
import dev.latchkey.core.WebhookEvent;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Tests for {@link ConfigRules} and {@link JdbcUrls}: the §10 field rules, security rules first. */
class ConfigRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "jdbc:postgresql://db.example.com:5432/history?socketFactory=org.example.Evil",
            "jdbc:postgresql://db.example.com/history?user=a&socketFactory=x",
            "jdbc:postgresql://db.example.com/history?socket%46actory=x",
            "jdbc:postgresql://db.example.com/history?sslfactory=x",
            "jdbc:postgresql://db.example.com/history?loggerFile=/etc/passwd",
            "jdbc:postgresql://h1,h2/history",
            "jdbc:postgresql://db.example.com/history;socketFactory=x",
            "jdbc:postgresql:history",
            "jdbc:mysql://db.example.com/history",
            "jdbc:postgresql://db.example.com:0/history",
            "jdbc:postgresql://db.example.com/history?user=a&user=b",
            "jdbc:postgresql://db.example.com/history?sslmode=yolo",
            "jdbc:postgresql://db.example.com/history?user",
            "jdbc:postgresql://db.example.com/"})
    void jdbcUrl_outsideTheAllowedForm_isRefused(String url) {
        List<FieldError> errors = new ArrayList<>();
        assertThat(ConfigRules.jdbcUrl("jdbc_url", url, StorageKind.POSTGRESQL, errors)).isNull();
        assertThat(errors).singleElement().extracting(FieldError::field).isEqualTo("jdbc_url");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "jdbc:postgresql://db.example.com/history",
            "jdbc:postgresql://127.0.0.1:5432/latchkey_history?user=postgres&password=p%26ss&ssl=true"
                    + "&sslmode=verify-full&currentSchema=lk&ApplicationName=latchkey",
            "jdbc:postgresql://[::1]:5432/history"})
    void jdbcUrl_inTheAllowedForm_isAccepted(String url) {
        List<FieldError> errors = new ArrayList<>();
        assertThat(ConfigRules.jdbcUrl("jdbc_url", url, StorageKind.POSTGRESQL, errors)).isEqualTo(url);
        assertThat(errors).isEmpty();
    }

    @Test
    void withoutPassword_dropsOnlyThePassword() {
        assertThat(JdbcUrls.withoutPassword("jdbc:postgresql://h/db?user=u&password=secret&ssl=true"))
                .isEqualTo("jdbc:postgresql://h/db?user=u&ssl=true");
        assertThat(JdbcUrls.withoutPassword("jdbc:postgresql://h/db?password=secret")).isEqualTo("jdbc:postgresql://h/db");
    }

    @Test
    void jdbcUrl_problemNeverRepeatsAValue() {
        String problem = JdbcUrls.problem("jdbc:postgresql://h/db?password=hunter2&password=hunter2");
        assertThat(problem).isNotNull().doesNotContain("hunter2");
    }

    @Test
    void jdbcUrl_onRedisOrMissingOnPostgres_isRefused() {
        List<FieldError> errors = new ArrayList<>();
        ConfigRules.jdbcUrl("jdbc_url", "jdbc:postgresql://h/db", StorageKind.REDIS, errors);
        ConfigRules.jdbcUrl("jdbc_url", null, StorageKind.POSTGRESQL, errors);
        assertThat(errors).extracting(FieldError::code).containsExactly("invalid", "required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/hook", "https://localhost:8443/", "http://LOCALHOST./x",
            "http://api.localhost/x", "http://10.1.2.3/", "http://192.168.0.10/", "http://172.16.5.5/",
            "http://169.254.169.254/latest/meta-data", "http://[::1]/", "http://[fd00::1]/", "http://[fe80::1]/",
            "http://[::ffff:127.0.0.1]/", "http://0.0.0.0/", "http://224.0.0.1/", "http://100.64.0.1/",
            // IPv6 transition forms of 127.0.0.1 and 10.0.0.1 (they were accepted)
            "http://[::127.0.0.1]/", "http://[::ffff:0:7f00:1]/", "http://[2002:7f00:1::]/",
            "http://[64:ff9b:1::a00:1]/", "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/"})
    void webhookUrl_privateLiteralOrLocalhost_isRefusedUnlessAllowed(String url) {
        List<FieldError> errors = new ArrayList<>();
        assertThat(ConfigRules.webhookUrl("url", url, false, errors)).isNull();
        assertThat(errors).singleElement().extracting(FieldError::code).isEqualTo("blocked_address");
        List<FieldError> allowed = new ArrayList<>();
        assertThat(ConfigRules.webhookUrl("url", url, true, allowed)).isEqualTo(url);
        assertThat(allowed).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://hooks.example.com/", "file:///etc/passwd", "hooks.example.com/x", "https://",
            "https://user:pw@hooks.example.com/", "javascript:alert(1)"})
    void webhookUrl_notHttpWithAHost_isRefused(String url) {
        List<FieldError> errors = new ArrayList<>();
        assertThat(ConfigRules.webhookUrl("url", url, true, errors)).isNull();
        assertThat(errors).singleElement().extracting(FieldError::code).isEqualTo("invalid");
    }

    @ParameterizedTest // a port past 65535 was accepted, and every delivery then failed
    @ValueSource(strings = {"https://example.com:99999/", "https://example.com:65536/x", "http://example.com:0/"})
    void webhookUrl_portOutsideTheRange_isInvalid(String url) {
        List<FieldError> errors = new ArrayList<>();
        assertThat(ConfigRules.webhookUrl("url", url, false, errors)).isNull();
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo("invalid");
            assertThat(e.description()).contains("port");
        });
        errors.clear();
        assertThat(ConfigRules.webhookUrl("url", "https://example.com:65535/", false, errors)).isNotNull();
        assertThat(errors).isEmpty();
    }

    @Test
    void webhookUrl_publicHost_isAccepted() {
        List<FieldError> errors = new ArrayList<>();
        assertThat(ConfigRules.webhookUrl("url", "https://hooks.example.com/a?b=c", false, errors)).isNotNull();
        assertThat(ConfigRules.webhookUrl("url", "http://93.184.216.34/", false, errors)).isNotNull();
        assertThat(ConfigRules.webhookUrl("url", "http://[2606:2800:220:1:248:1893:25c8:1946]/", false, errors))
                .isNotNull(); // a global IPv6 address beside the blocked transition ranges
        assertThat(ConfigRules.webhookUrl("url", "http://[2001:4860:4860::8888]/", false, errors)).isNotNull();
        assertThat(errors).isEmpty();
    }

    @Test
    void events_unknownName_isReportedByIndex_andDuplicatesCollapse() {
        List<FieldError> errors = new ArrayList<>();
        List<WebhookEvent> events = ConfigRules.events("events",
                Arrays.asList("key.created", "key.exploded", "key.created"), errors);
        assertThat(events).containsExactly(WebhookEvent.KEY_CREATED);
        assertThat(errors).singleElement().extracting(FieldError::field).isEqualTo("events[1]");
        assertThat(ConfigRules.events("events", null, errors)).containsExactly(WebhookEvent.ALL);
    }

    @Test
    void retentionDays_outOf1To400_isRefused_defaultIs30() {
        List<FieldError> errors = new ArrayList<>();
        assertThat(ConfigRules.retentionDays("retention_days", null, errors)).isEqualTo(30);
        assertThat(ConfigRules.retentionDays("retention_days", 400L, errors)).isEqualTo(400);
        ConfigRules.retentionDays("retention_days", 0L, errors);
        ConfigRules.retentionDays("retention_days", 401L, errors);
        assertThat(errors).hasSize(2);
    }
}
