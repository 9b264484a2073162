package dev.latchkey.samples.security;

import dev.latchkey.spring.boot.LatchkeyHttpConfigurer;
import jakarta.servlet.DispatcherType;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * API keys as Spring Security authentications: every key's scopes are {@code SCOPE_<scope>} authorities, checked by
 * a request rule ({@code POST /reports}) and by {@code @PreAuthorize} ({@link ReportsController}); a human admin signs
 * in with HTTP Basic on {@code /admin/**}, on the same chain.
 */
@SpringBootApplication
@EnableMethodSecurity
public class SecuredReportsApplication {

    /** Starts the application. */
    public static void main(String[] args) {
        SpringApplication.run(SecuredReportsApplication.class, args);
    }

    /** One chain: API keys everywhere, HTTP Basic for {@code /admin/**}. */
    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
        RequestMatcher admin = PathPatternRequestMatcher.withDefaults().matcher("/admin/**");
        BasicAuthenticationEntryPoint basic = new BasicAuthenticationEntryPoint();
        basic.setRealmName("admin");
        return http
                .authorizeHttpRequests(a -> a
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .requestMatchers("/actuator/health/**").permitAll()
                        .requestMatchers(admin).hasRole("ADMIN")
                        .requestMatchers(HttpMethod.POST, "/reports/**").hasAuthority("SCOPE_reports:write")
                        .anyRequest().authenticated())
                // HTTP Basic's challenge for the admin's paths; Latchkey's 401 problem for the rest.
                .exceptionHandling(e -> e.defaultAuthenticationEntryPointFor(basic, admin))
                .with(LatchkeyHttpConfigurer.latchkey(), Customizer.withDefaults())
                .httpBasic(Customizer.withDefaults())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(c -> c.disable())
                .build();
    }
}
