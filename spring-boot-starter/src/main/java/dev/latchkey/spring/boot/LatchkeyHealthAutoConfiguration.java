package dev.latchkey.spring.boot;

import dev.latchkey.core.KeyStore;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The key store's health contributor, {@code latchkey} under {@code /actuator/health}, when Spring Boot's health
 * module is on the class path ({@code management.health.latchkey.enabled=false} turns it off).
 *
 * @since 0.1
 */
@AutoConfiguration(after = LatchkeyAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(KeyStore.class)
@ConditionalOnEnabledHealthIndicator("latchkey")
public class LatchkeyHealthAutoConfiguration {

    /** The store's health: {@code UP} when it answers a ping. */
    @Bean
    @ConditionalOnMissingBean(name = "latchkeyHealthIndicator")
    public LatchkeyHealthIndicator latchkeyHealthIndicator(KeyStore store) {
        return new LatchkeyHealthIndicator(store);
    }
}
