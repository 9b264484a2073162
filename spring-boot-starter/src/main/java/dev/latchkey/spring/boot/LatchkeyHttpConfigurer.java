package dev.latchkey.spring.boot;

import dev.latchkey.engine.Authenticator;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationContext;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.ExceptionHandlingConfigurer;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Applies Latchkey to a {@code SecurityFilterChain}: the {@link LatchkeyAuthenticationFilter} (before HTTP Basic's),
 * Latchkey's 401 for requests with no credentials ({@link LatchkeyAuthenticationEntryPoint}) and its 403 for
 * key-authenticated requests that Spring Security refuses ({@link LatchkeyAccessDeniedHandler}). The engine is the
 * application's {@link Authenticator} bean.
 *
 * <pre>
 * &#64;Bean
 * SecurityFilterChain api(HttpSecurity http) throws Exception {
 *     return http
 *             .authorizeHttpRequests(a -&gt; a
 *                     .requestMatchers("/admin/**").hasRole("ADMIN")
 *                     .requestMatchers(HttpMethod.POST, "/reports/**").hasAuthority("SCOPE_reports:write")
 *                     .anyRequest().authenticated())
 *             .exceptionHandling(e -&gt; e.defaultAuthenticationEntryPointFor(basicEntryPoint, adminPaths))
 *             .with(LatchkeyHttpConfigurer.latchkey(), Customizer.withDefaults())
 *             .httpBasic(Customizer.withDefaults())
 *             .build();
 * }
 * </pre>
 *
 * <p>With several mechanisms on one chain, Spring Security picks the 401 answer by request, in the order the entry
 * points were registered: Latchkey's answers the requests {@link #entryPointFor(RequestMatcher)} matches (by default
 * every request) and is registered when the chain is built, so register another mechanism's challenge for its own
 * paths first, in {@code exceptionHandling(...)} as above. Permit {@code DispatcherType.ERROR} (or {@code /error}) so
 * that error pages render.
 *
 * @since 0.1
 */
public final class LatchkeyHttpConfigurer extends AbstractHttpConfigurer<LatchkeyHttpConfigurer, HttpSecurity> {

    private RequestMatcher entryPointMatcher = AnyRequestMatcher.INSTANCE;
    private @Nullable Authenticator authenticator;

    private LatchkeyHttpConfigurer() {
    }

    /** Returns a configurer to pass to {@code HttpSecurity.with(...)}. */
    public static LatchkeyHttpConfigurer latchkey() {
        return new LatchkeyHttpConfigurer();
    }

    /**
     * Sets the requests that get Latchkey's 401 when they carry no credentials (default: every request); others get
     * the next mechanism's challenge.
     */
    public LatchkeyHttpConfigurer entryPointFor(RequestMatcher matcher) {
        this.entryPointMatcher = Objects.requireNonNull(matcher, "matcher");
        return this;
    }

    /** Sets the engine to use instead of the application's {@link Authenticator} bean. */
    public LatchkeyHttpConfigurer authenticator(Authenticator authenticator) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        return this;
    }

    /**
     * Returns an authorization rule that grants requests the engine let through without a key
     * ({@code latchkey.exclude}, an allowed preflight) and authenticated ones, such as
     * {@code anyRequest().access(LatchkeyHttpConfigurer.passedOrAuthenticated())}.
     */
    public static AuthorizationManager<RequestAuthorizationContext> passedOrAuthenticated() {
        return (Supplier<? extends Authentication> authentication, RequestAuthorizationContext context) -> {
            if (context.getRequest().getAttribute(LatchkeyAuthenticationFilter.PASSED_ATTRIBUTE) != null) {
                return new AuthorizationDecision(true);
            }
            Authentication a = authentication.get();
            return new AuthorizationDecision(a != null && a.isAuthenticated()
                    && !(a instanceof org.springframework.security.authentication.AnonymousAuthenticationToken));
        };
    }

    @Override
    public void init(HttpSecurity http) {
        Authenticator engine = engine(http);
        @SuppressWarnings("unchecked")
        ExceptionHandlingConfigurer<HttpSecurity> exceptions = http.getConfigurer(ExceptionHandlingConfigurer.class);
        if (exceptions != null) {
            exceptions.defaultAuthenticationEntryPointFor(new LatchkeyAuthenticationEntryPoint(engine),
                    entryPointMatcher);
            LatchkeyAccessDeniedHandler denied = new LatchkeyAccessDeniedHandler(engine,
                    getSecurityContextHolderStrategy());
            exceptions.defaultAccessDeniedHandlerFor(denied, denied::keyAuthenticated);
        }
    }

    @Override
    public void configure(HttpSecurity http) {
        Authenticator engine = engine(http);
        LatchkeyAuthenticationProvider provider = new LatchkeyAuthenticationProvider(engine);
        AuthenticationManager manager = provider::authenticate;
        LatchkeyAuthenticationFilter filter = new LatchkeyAuthenticationFilter(manager, engine.settings());
        filter.setSecurityContextHolderStrategy(getSecurityContextHolderStrategy());
        http.addFilterBefore(postProcess(filter), BasicAuthenticationFilter.class);
    }

    private Authenticator engine(HttpSecurity http) {
        if (authenticator == null) {
            ApplicationContext context = http.getSharedObject(ApplicationContext.class);
            if (context == null) {
                throw new IllegalStateException("LatchkeyHttpConfigurer needs an Authenticator: give one with"
                        + " authenticator(...) outside a Spring application context");
            }
            authenticator = context.getBean(Authenticator.class);
        }
        return authenticator;
    }
}
