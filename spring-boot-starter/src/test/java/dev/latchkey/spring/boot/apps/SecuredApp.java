package dev.latchkey.spring.boot.apps;

import dev.latchkey.spring.boot.LatchkeyHttpConfigurer;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * An application with its own chain: API keys everywhere, HTTP Basic for a human admin on {@code /admin/**}, a
 * request rule and {@code @PreAuthorize} on scopes.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableMethodSecurity
@Import(ApiController.class)
public class SecuredApp {

    /** The admin's password in the tests. */
    public static final String ADMIN_PASSWORD = "correct horse";

    @Bean
    SecurityFilterChain api(HttpSecurity http) throws Exception {
        RequestMatcher admin = PathPatternRequestMatcher.withDefaults().matcher("/admin/**");
        BasicAuthenticationEntryPoint basic = new BasicAuthenticationEntryPoint();
        basic.setRealmName("admin");
        return http
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/public/**").permitAll()
                        .requestMatchers(admin).hasRole("ADMIN")
                        .requestMatchers(HttpMethod.POST, "/reports").hasAuthority("SCOPE_reports:write")
                        .anyRequest().access(LatchkeyHttpConfigurer.passedOrAuthenticated()))
                // Basic's challenge on the admin's paths, registered before Latchkey's (which takes the rest).
                .exceptionHandling(e -> e.defaultAuthenticationEntryPointFor(basic, admin))
                .with(LatchkeyHttpConfigurer.latchkey(), Customizer.withDefaults())
                .httpBasic(Customizer.withDefaults())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(c -> c.disable())
                .build();
    }

    @Bean
    UserDetailsService admins() {
        return new InMemoryUserDetailsManager(
                User.withUsername("admin").password("{noop}" + ADMIN_PASSWORD).roles("ADMIN").build());
    }
}
