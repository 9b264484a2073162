package dev.latchkey.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.InMemoryKeyStore;
import dev.latchkey.core.KeyStore;
import dev.latchkey.engine.AuthSettings;
import dev.latchkey.engine.Authenticator;
import dev.latchkey.filter.ApiKeyFilter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.SecurityFilterChain;

/** Tests for {@link LatchkeyAutoConfiguration}: properties, their checks, and beans that back off. */
class LatchkeyAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LatchkeyAutoConfiguration.class));

    @Test
    void defaults_areTheEnginesDefaults_onAnInMemoryStore() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(Authenticator.class);
            assertThat(context.getBean(AuthSettings.class)).isEqualTo(AuthSettings.defaults());
            assertThat(context.getBean(KeyStore.class)).isInstanceOf(InMemoryKeyStore.class);
        });
    }

    @Test
    void properties_mapOneToOneOntoTheSettings() {
        runner.withPropertyValues("latchkey.pepper=pepper-1", "latchkey.token-prefix=acme",
                "latchkey.api-key-header=", "latchkey.scopes=GET /reports/** reports:read",
                "latchkey.exclude=/health,/public/**", "latchkey.trusted-proxies=10.0.0.0/8",
                "latchkey.cache.max-size=50", "latchkey.cache.ttl=30s", "latchkey.cache.negative-ttl=PT2S",
                "latchkey.cache.stale-if-error=1m", "latchkey.usage.flush-interval=500ms", "latchkey.realm=api",
                "latchkey.allow-preflight=true", "latchkey.auth-failure.limit=7", "latchkey.auth-failure.period=2m",
                "latchkey.rate-limit.store-timeout=100ms", "latchkey.rate-limit.on-store-error=closed")
                .run(context -> {
                    AuthSettings s = context.getBean(AuthSettings.class);
                    assertThat(s.pepper()).isEqualTo("pepper-1");
                    assertThat(s.tokenPrefix()).isEqualTo("acme");
                    assertThat(s.apiKeyHeader()).as("empty disables the second header").isNull();
                    assertThat(s.rules().required("GET", "/reports/1")).containsExactly("reports:read");
                    assertThat(s.excludes()).hasSize(2);
                    assertThat(s.trustedProxies().trustsAny()).isTrue();
                    assertThat(s.cacheMaxSize()).isEqualTo(50);
                    assertThat(s.cacheTtl()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(s.negativeTtl()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(s.staleIfError()).isEqualTo(Duration.ofMinutes(1));
                    assertThat(s.usageFlushInterval()).isEqualTo(Duration.ofMillis(500));
                    assertThat(s.realm()).isEqualTo("api");
                    assertThat(s.allowPreflight()).isTrue();
                    assertThat(s.authFailureLimit()).isEqualTo(7);
                    assertThat(s.authFailurePeriod()).isEqualTo(Duration.ofMinutes(2));
                    assertThat(s.rateLimitStoreTimeout()).isEqualTo(Duration.ofMillis(100));
                    assertThat(s.rateLimitOnStoreError()).isEqualTo(AuthSettings.OnStoreError.CLOSED);
                });
    }

    @Test
    void badValue_stopsTheContext_namingTheProperty() {
        assertFailsNaming("latchkey.cache.ttl=0s", "latchkey.cache.ttl", "must be positive");
        assertFailsNaming("latchkey.trusted-proxies=10.0.0.1/8", "latchkey.trusted-proxies", "10.0.0.0/8");
        assertFailsNaming("latchkey.scopes=GET", "latchkey.scopes", "");
        assertFailsNaming("latchkey.token-prefix=no way", "latchkey.token-prefix", "");
        assertFailsNaming("latchkey.auth-failure.limit=-1", "latchkey.auth-failure.limit", "");
        assertFailsNaming("latchkey.rate-limit.on-store-error=sometimes", "latchkey.rate-limit.on-store-error",
                "must be local, open or closed");
        assertFailsNaming("latchkey.rate-limit.store-timeout=0s", "latchkey.rate-limit.store-timeout", "");
    }

    private void assertFailsNaming(String property, String name, String reason) {
        runner.withPropertyValues(property).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageStartingWith("Property " + name + " with value ")
                    .hasMessageContaining(reason);
        });
    }

    @Test
    void metersGoToTheApplicationsRegistry() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            assertThat(context.getBean(Authenticator.class).metrics()).isNotNull();
            assertThat(context.getBean(MeterRegistry.class).find("latchkey.usage.pending").gauge()).isNotNull();
        });
    }

    @Test
    void userBeans_win() {
        runner.withUserConfiguration(UserBeans.class).run(context -> {
            assertThat(context).hasSingleBean(KeyStore.class).hasSingleBean(AuthSettings.class)
                    .hasSingleBean(Authenticator.class);
            assertThat(context.getBean(KeyStore.class)).isSameAs(context.getBean("myStore"));
            assertThat(context.getBean(AuthSettings.class).realm()).isEqualTo("mine");
            assertThat(context.getBean(Authenticator.class).store()).isSameAs(context.getBean("myStore"));
        });
        runner.withUserConfiguration(UserAuthenticator.class).run(context -> {
            assertThat(context).hasSingleBean(Authenticator.class);
            assertThat(context.getBean(Authenticator.class)).isSameAs(context.getBean("myAuthenticator"));
        });
    }

    @Test
    void close_closesTheAuthenticatorBeforeTheStore() {
        InMemoryKeyStore store = new InMemoryKeyStore();
        Authenticator[] engine = new Authenticator[1];
        runner.withBean("myStore", KeyStore.class, () -> store).run(context -> {
            engine[0] = context.getBean(Authenticator.class);
            Keys keys = new Keys(store);
            String token = keys.issue("default").token();
            assertThat(engine[0].authenticateToken(token, "127.0.0.1")).isInstanceOf(dev.latchkey.engine.Allow.class);
        });
        assertThat(engine[0].usage().pending()).as("the engine flushed its counted use").isZero();
    }

    @Test
    void servletFilter_isRegisteredAtItsOrder_withoutSpringSecurity() {
        WebApplicationContextRunner web = new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LatchkeyAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader(SecurityFilterChain.class));
        web.run(context -> {
            FilterRegistrationBean<?> registration = context.getBean("latchkeyFilter", FilterRegistrationBean.class);
            assertThat(registration.getFilter()).isInstanceOf(ApiKeyFilter.class);
            assertThat(registration.getOrder()).isEqualTo(LatchkeyAutoConfiguration.FILTER_ORDER);
            assertThat(registration.getUrlPatterns()).containsExactly("/*");
        });
        web.withPropertyValues("latchkey.filter.order=5").run(context ->
                assertThat(context.getBean("latchkeyFilter", FilterRegistrationBean.class).getOrder()).isEqualTo(5));
        web.withPropertyValues("latchkey.filter.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean("latchkeyFilter"));
    }

    @Test
    void servletFilter_isNotRegistered_underSpringSecurity() {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LatchkeyAutoConfiguration.class))
                .run(context -> assertThat(context).doesNotHaveBean("latchkeyFilter").hasSingleBean(Authenticator.class));
    }

    @Test
    void propertyDefaults_areTheEnginesDefaults() {
        assertThat(new LatchkeyProperties().toSettings()).isEqualTo(AuthSettings.defaults());
        assertThat(new LatchkeyProperties().getFilter().getOrder()).isEqualTo(LatchkeyAutoConfiguration.FILTER_ORDER);
    }

    @Test
    void configurationMetadata_documentsEverySetting() throws Exception {
        String metadata;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated by spring-boot-configuration-processor").isNotNull();
            metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String name : AuthSettings.NAMES) {
            assertThat(metadata).as(name).containsPattern("\"name\": ?\"" + Pattern.quote(name) + "\"");
        }
        assertThat(metadata).as("the values an IDE offers").contains("\"hints\"").contains("\"closed\"");
    }

    @Configuration(proxyBeanMethods = false)
    static class UserBeans {
        @Bean
        KeyStore myStore() {
            return new InMemoryKeyStore();
        }

        @Bean
        AuthSettings mySettings() {
            return AuthSettings.builder().realm("mine").build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserAuthenticator {
        @Bean(destroyMethod = "close")
        Authenticator myAuthenticator() {
            return Authenticator.builder(new InMemoryKeyStore()).build();
        }
    }
}
