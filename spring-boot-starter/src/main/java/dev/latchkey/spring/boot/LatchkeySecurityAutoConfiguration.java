package dev.latchkey.spring.boot;

import jakarta.servlet.DispatcherType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.security.autoconfigure.web.servlet.ConditionalOnDefaultWebSecurity;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Latchkey under Spring Security (servlet applications with Spring Security on the class path): the servlet filter is
 * not registered; keys are authenticated inside the {@code SecurityFilterChain} by {@link LatchkeyHttpConfigurer}.
 * When the application declares no chain of its own, this one protects every request with an API key (paths in
 * {@code latchkey.exclude} excepted), statelessly, with {@code SCOPE_} authorities for {@code @PreAuthorize} and
 * {@code latchkey.scopes} route rules still checked by the engine. An application that declares its own chain applies
 * {@code .with(LatchkeyHttpConfigurer.latchkey(), ...)} to it.
 *
 * @since 0.1
 */
@AutoConfiguration(after = LatchkeyAutoConfiguration.class,
        beforeName = "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({SecurityFilterChain.class, HttpSecurity.class, ConditionalOnDefaultWebSecurity.class})
public class LatchkeySecurityAutoConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(LatchkeySecurityAutoConfiguration.class);

    /**
     * Every request needs a key unless the engine lets it through (error pages are permitted); no session, no CSRF
     * (no cookies are used).
     */
    @Bean
    @ConditionalOnDefaultWebSecurity
    SecurityFilterChain latchkeySecurityFilterChain(HttpSecurity http) throws Exception {
        return http
                .authorizeHttpRequests(a -> a
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .anyRequest().access(LatchkeyHttpConfigurer.passedOrAuthenticated()))
                .with(LatchkeyHttpConfigurer.latchkey(), latchkey -> { })
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(c -> c.disable())
                .build();
    }

    /**
     * Warns at start-up when the application's own chains never apply {@link LatchkeyHttpConfigurer}: Spring Security
     * is on the class path, so the servlet filter is not registered, and API keys would then authenticate nothing.
     */
    @Bean
    static SmartInitializingSingleton latchkeyChainCheck(ObjectProvider<SecurityFilterChain> chains) {
        return () -> {
            boolean applied = chains.orderedStream().anyMatch(chain -> chain.getFilters().stream()
                    .anyMatch(LatchkeyAuthenticationFilter.class::isInstance));
            if (!applied) {
                LOG.warn("Spring Security is on the class path but no SecurityFilterChain applies Latchkey, so API keys"
                        + " authenticate nothing: add .with(LatchkeyHttpConfigurer.latchkey(), Customizer.withDefaults())"
                        + " to your chain");
            }
        };
    }
}
