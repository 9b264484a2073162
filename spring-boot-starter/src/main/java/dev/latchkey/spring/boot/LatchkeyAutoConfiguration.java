package dev.latchkey.spring.boot;

import dev.latchkey.core.InMemoryKeyStore;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.KeyStoreProvider;
import dev.latchkey.engine.AuthSettings;
import dev.latchkey.engine.Authenticator;
import dev.latchkey.filter.ApiKeyFilter;
import dev.latchkey.redis.RedisKeyStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Latchkey for Spring Boot 4.0, from the {@code latchkey.*} properties ({@link LatchkeyProperties}): the
 * {@link AuthSettings}, the {@link KeyStore} ({@code latchkey.redis-url}, else in memory), the {@link Authenticator}
 * (its meters on the application's {@link MeterRegistry} when there is one) and, in a servlet application without
 * Spring Security, the servlet filter {@link ApiKeyFilter} on that authenticator, registered at {@value #FILTER_ORDER}.
 * Under Spring Security,
 * {@link LatchkeySecurityAutoConfiguration} takes over the door. Every bean backs off when the application defines
 * its own.
 *
 * <p>Shutdown: the authenticator depends on the store, so Spring closes it first; closing it writes the uses it
 * counted, and only then is the store closed. No request reaches the filter by then: Spring Boot stops the web server
 * before it destroys beans.
 *
 * @since 0.1
 */
@AutoConfiguration
@EnableConfigurationProperties(LatchkeyProperties.class)
public class LatchkeyAutoConfiguration {

    /**
     * The servlet filter's default order ({@code latchkey.filter.order}): after Spring Boot's character-encoding and
     * observation filters, before the request-wrapping filters, where Spring Security's chain sits by default.
     */
    public static final int FILTER_ORDER = -100;

    private static final Logger LOG = LoggerFactory.getLogger(LatchkeyAutoConfiguration.class);

    /** The settings, checked by the engine's builder; a bad property value stops the application naming it. */
    @Bean
    @ConditionalOnMissingBean
    public AuthSettings latchkeySettings(LatchkeyProperties properties, Environment environment) {
        try {
            return properties.toSettings();
        } catch (InvalidConfigurationPropertyValueException e) {
            // Name the value as it was written (60s, not PT1M), so that Boot's report matches the user's file.
            String written = environment.getProperty(e.getName());
            throw written == null ? e : new InvalidConfigurationPropertyValueException(e.getName(), written,
                    e.getReason());
        }
    }

    /**
     * The key store: on the application's own Lettuce client when it defines one {@link RedisClient} or
     * {@link RedisClusterClient} bean (at {@code latchkey.redis-url} when set, else the client's own URI; the store
     * never shuts that client down), else opened from {@code latchkey.redis-url} through core's
     * {@link KeyStoreProvider} (the Redis store's own meters, Lettuce's command latencies among them, reach the
     * {@link MeterRegistry} through the {@link Authenticator}, which binds it), or an in-memory store, with a warning, when neither is there. Spring closes it after the
     * {@link Authenticator}.
     */
    @Bean
    @ConditionalOnMissingBean
    public KeyStore latchkeyKeyStore(AuthSettings settings, ObjectProvider<MeterRegistry> registry,
            ObjectProvider<RedisClient> redisClient, ObjectProvider<RedisClusterClient> clusterClient) {
        String url = settings.storeUrl();
        RedisClient client = redisClient.getIfUnique();
        RedisClusterClient cluster = clusterClient.getIfUnique();
        if (client != null || cluster != null) {
            LatchkeyVersions.checkRedis();
            RedisKeyStore.Builder b = RedisKeyStore.builder();
            if (cluster != null) {
                b.client(cluster);
            } else if (url != null) {
                b.client(client, RedisURI.create(url));
            } else {
                b.client(client);
            }
            MeterRegistry meters = registry.getIfAvailable();
            if (meters != null) {
                b.meterRegistry(meters);
            }
            LOG.info("Latchkey's key store runs on the application's own Lettuce {}",
                    cluster != null ? "RedisClusterClient" : "RedisClient");
            return b.build();
        }
        if (url == null) {
            LOG.warn("{} is not set: Latchkey uses an in-memory key store, empty at every start", AuthSettings.REDIS_URL);
            return new InMemoryKeyStore();
        }
        LatchkeyVersions.checkRedis();
        // Its meters reach the MeterRegistry when the Authenticator binds it (the Redis store is a MeterBinder).
        return KeyStoreProvider.openFirst(url, LatchkeyAutoConfiguration.class.getClassLoader());
    }

    /**
     * The authentication engine every door of the application shares; its §6 meters go to the application's
     * {@link MeterRegistry} when there is one. Closing it (before the store) flushes the uses it counted.
     */
    @Bean
    @ConditionalOnMissingBean
    public Authenticator latchkeyAuthenticator(KeyStore store, AuthSettings settings,
            ObjectProvider<MeterRegistry> registry) {
        LatchkeyVersions.checkEngine();
        return Authenticator.builder(store).settings(settings).meterRegistry(registry.getIfAvailable()).build();
    }

    /** The servlet filter, in servlet applications without Spring Security. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(FilterRegistrationBean.class)
    @ConditionalOnMissingClass("org.springframework.security.web.SecurityFilterChain")
    @ConditionalOnBooleanProperty(name = "latchkey.filter.enabled", matchIfMissing = true)
    static class ServletFilterConfiguration {

        /**
         * Registers {@code ApiKeyFilter.builder(authenticator).build()} (a filter on the application's engine, which it
         * neither builds nor closes) on every path, for {@code REQUEST} dispatches, at {@code latchkey.filter.order}
         * (default {@value LatchkeyAutoConfiguration#FILTER_ORDER}).
         */
        @Bean
        @ConditionalOnMissingBean(name = "latchkeyFilter")
        FilterRegistrationBean<ApiKeyFilter> latchkeyFilter(Authenticator authenticator,
                LatchkeyProperties properties) {
            FilterRegistrationBean<ApiKeyFilter> registration =
                    new FilterRegistrationBean<>(ApiKeyFilter.builder(authenticator).build());
            registration.setName("latchkey");
            registration.addUrlPatterns("/*");
            registration.setDispatcherTypes(DispatcherType.REQUEST);
            registration.setOrder(properties.getFilter().getOrder());
            return registration;
        }
    }
}
