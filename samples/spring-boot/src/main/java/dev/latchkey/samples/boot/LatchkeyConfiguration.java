package dev.latchkey.samples.boot;

import dev.latchkey.core.InMemoryKeyStore;
import dev.latchkey.core.KeyStore;
import dev.latchkey.core.KeyStoreProvider;
import dev.latchkey.filter.ApiKeyFilter;
import dev.latchkey.filter.ApiKeyFilterBuilder;
import dev.latchkey.samples.demo.DemoRoutes;
import dev.latchkey.samples.demo.ReportBook;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletListenerRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Wires Latchkey into Spring Boot: a {@link KeyStore} bean (Redis when {@code latchkey.redis-url} is set, else in
 * memory) and the filter on it, registered with a {@link FilterRegistrationBean} — the explicit registration Spring
 * Boot's embedded containers honour (they do not run {@code ServletContainerInitializer}s or read
 * {@code web-fragment.xml}). Settings come from {@code application.properties}, which maps them to the same
 * environment variables as the admin service ({@code LATCHKEY_REDIS_URL}, {@code LATCHKEY_PEPPER},
 * {@code LATCHKEY_TOKEN_PREFIX}, {@code LATCHKEY_TRUSTED_PROXIES}).
 */
@Configuration(proxyBeanMethods = false)
public class LatchkeyConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(LatchkeyConfiguration.class);

    /**
     * The key store. It is closed by {@link #latchkeyStoreCloser}, not by Spring's bean destruction: Spring Boot
     * destroys the embedded container, and so the filter, only after every bean is destroyed, and the filter's
     * {@code destroy()} still writes the uses it counted to the store.
     */
    @Bean(destroyMethod = "")
    public KeyStore keyStore(@Value("${latchkey.redis-url:}") String redisUrl) {
        if (redisUrl.isBlank()) {
            LOG.warn("latchkey.redis-url is not set: an in-memory key store, empty at every start");
            return new InMemoryKeyStore();
        }
        return KeyStoreProvider.openFirst(redisUrl.strip(), LatchkeyConfiguration.class.getClassLoader());
    }

    /**
     * The filter in front of every request: the demo's scope rules, {@code /health} open, and the admin service's
     * pepper and prefix. Its meters go to Spring's {@link MeterRegistry} when there is one (with Actuator), else to
     * Micrometer's global registry.
     */
    @Bean
    public FilterRegistrationBean<ApiKeyFilter> latchkeyFilter(KeyStore store,
            @Value("${latchkey.pepper:}") String pepper,
            @Value("${latchkey.token-prefix:lk}") String tokenPrefix,
            @Value("${latchkey.trusted-proxies:}") String trustedProxies,
            @Value("${latchkey.usage.flush-interval:PT1S}") Duration usageFlushInterval,
            ObjectProvider<MeterRegistry> registry) {
        ApiKeyFilterBuilder builder = ApiKeyFilter.builder(store)
                .pepper(pepper)
                .tokenPrefix(tokenPrefix)
                .scopes(DemoRoutes.SCOPE_RULES)
                .exclude(DemoRoutes.EXCLUDE)
                .trustedProxies(trustedProxies)
                .usageFlushInterval(usageFlushInterval);
        registry.ifAvailable(builder::meterRegistry);
        FilterRegistrationBean<ApiKeyFilter> registration = new FilterRegistrationBean<>(builder.build());
        registration.setName("latchkey");
        registration.addUrlPatterns("/*");
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    /**
     * Closes the store when the web application stops: the servlet container calls {@code contextDestroyed} after
     * every filter's {@code destroy()}, so the uses the filter counted are flushed first.
     */
    @Bean
    public ServletListenerRegistrationBean<ServletContextListener> latchkeyStoreCloser(KeyStore store) {
        return new ServletListenerRegistrationBean<>(new ServletContextListener() {
            @Override
            public void contextDestroyed(ServletContextEvent event) {
                store.close();
            }
        });
    }

    /** The demo's reports. */
    @Bean
    public ReportBook reportBook() {
        return new ReportBook();
    }
}
