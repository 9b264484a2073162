package dev.latchkey.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Tests for {@link RedisTarget}: the URL forms of API.md §1. */
class RedisTargetTest {

    private static final Duration T = Duration.ofMillis(750);

    private static RedisCredentials credentials(RedisURI u) {
        return u.getCredentialsProvider().resolveCredentials().block();
    }

    @Test
    void parse_plainUrl_isOneServer_withTheTimeout() {
        RedisTarget t = RedisTarget.parse("redis://10.0.0.5:6380/2", T);

        assertThat(t.cluster()).isFalse();
        RedisURI u = t.uris().get(0);
        assertThat(u.getHost()).isEqualTo("10.0.0.5");
        assertThat(u.getPort()).isEqualTo(6380);
        assertThat(u.getDatabase()).isEqualTo(2);
        assertThat(u.getTimeout()).isEqualTo(T);
    }

    @Test
    void parse_tlsUrlWithAclUser_keepsTlsAndCredentials() {
        RedisURI u = RedisTarget.parse("rediss://app:s3cret@redis.example:6390", T).uris().get(0);

        assertThat(u.isSsl()).isTrue();
        RedisCredentials c = credentials(u);
        assertThat(c.getUsername()).isEqualTo("app");
        assertThat(new String(c.getPassword())).isEqualTo("s3cret");
    }

    @Test
    void parse_sentinelUrlWithSeveralSentinels_isOneServer() {
        RedisTarget t = RedisTarget.parse("redis-sentinel://s1:26379,s2:26380/0#mymaster", T);

        assertThat(t.cluster()).isFalse();
        assertThat(t.uris().get(0).getSentinels()).hasSize(2);
        assertThat(t.uris().get(0).getSentinelMasterId()).isEqualTo("mymaster");
        assertThat(t.describe()).contains("Sentinel").contains("mymaster");
    }

    @Test
    void parse_commaSeparatedFullUrls_isACluster() {
        RedisTarget t = RedisTarget.parse("redis://h1:7000,redis://h2:7001", T);

        assertThat(t.cluster()).isTrue();
        assertThat(t.uris()).extracting(RedisURI::getHost).containsExactly("h1", "h2");
        assertThat(t.uris()).extracting(RedisURI::getPort).containsExactly(7000, 7001);
    }

    @Test
    void parse_clusterNodesWithoutScheme_takeTheFirstNodesSchemeAndCredentials() {
        RedisTarget t = RedisTarget.parse("rediss://:pw@h1:7000, h2:7001 ,h3:7002", T);

        assertThat(t.cluster()).isTrue();
        assertThat(t.uris()).hasSize(3).allMatch(RedisURI::isSsl)
                .allMatch(u -> "pw".equals(new String(credentials(u).getPassword())));
        assertThat(t.uris()).extracting(RedisURI::getHost).containsExactly("h1", "h2", "h3");
        assertThat(t.describe()).doesNotContain("pw");
    }

    @Test
    void parse_otherScheme_isRejected_withoutRepeatingTheUrl() {
        assertThatThrownBy(() -> RedisTarget.parse("http://user:hunter2@h:80", T))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("hunter2");
        assertThat(RedisTarget.supports("memcached://h")).isFalse();
        assertThat(RedisTarget.supports(" REDIS://h:1")).isTrue();
    }

    @Test
    void parse_malformedUrl_isRejected_withoutThePasswordInMessageOrCause() {
        for (String bad : new String[] {"redis://:hunter2@ h", "redis://:hunter2@h:99999", "redis://:hunter2@h:1/x",
                "redis://:hunter2@"}) {
            assertThatThrownBy(() -> RedisTarget.parse(bad, T))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageNotContaining("hunter2")
                    .hasNoCause();
        }
    }
}
