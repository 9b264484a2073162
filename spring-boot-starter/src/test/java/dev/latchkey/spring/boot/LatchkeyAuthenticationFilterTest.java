package dev.latchkey.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.InMemoryKeyStore;
import dev.latchkey.engine.AuthSettings;
import dev.latchkey.engine.Authenticator;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.context.SecurityContextHolder;

/** Tests for {@link LatchkeyAuthenticationFilter} on the in-memory store, without a server. */
class LatchkeyAuthenticationFilterTest {

    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final Authenticator engine = Authenticator.builder(store).settings(AuthSettings.defaults()).build();
    private final LatchkeyAuthenticationProvider provider = new LatchkeyAuthenticationProvider(engine);

    @AfterEach
    void tearDown() {
        SecurityContextHolder.clearContext();
        engine.close();
        store.close();
    }

    @Test
    void doFilter_basicCredentialOnly_neverAsksTheEngine() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        LatchkeyAuthenticationFilter filter = new LatchkeyAuthenticationFilter(a -> {
            asked.incrementAndGet();
            return provider.authenticate(a);
        }, engine.settings());
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/admin");
        request.addHeader("Authorization", "Basic YWRtaW46cHc=");
        MockFilterChain chain = new MockFilterChain();

        filter.doFilter(request, new MockHttpServletResponse(), chain);

        assertThat(asked).hasValue(0);
        assertThat(chain.getRequest()).as("passed on").isNotNull();
    }

    @Test
    void doFilter_noKey_passesOnUnauthenticated() throws Exception {
        LatchkeyAuthenticationFilter filter = new LatchkeyAuthenticationFilter(provider::authenticate, engine.settings());
        MockFilterChain chain = new MockFilterChain();

        filter.doFilter(new MockHttpServletRequest("GET", "/hello"), new MockHttpServletResponse(), chain);

        assertThat(chain.getRequest()).isNotNull();
        assertThat(SecurityContextHolder.getContext().getAuthentication()).isNull();
    }

    @Test
    void doFilter_validKey_setsTheContext() throws Exception {
        String token = new Keys(store).issue("acme", "reports:read").token();
        LatchkeyAuthenticationFilter filter = new LatchkeyAuthenticationFilter(provider::authenticate, engine.settings());
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/hello");
        request.addHeader("X-API-Key", token);
        MockFilterChain chain = new MockFilterChain();

        filter.doFilter(request, new MockHttpServletResponse(), chain);

        assertThat(SecurityContextHolder.getContext().getAuthentication())
                .isInstanceOfSatisfying(LatchkeyAuthentication.class, a -> {
                    assertThat(a.isAuthenticated()).isTrue();
                    assertThat(a.getCredentials()).as("the token is never kept").isNull();
                    assertThat(a.getAuthorities()).extracting(Object::toString).containsExactly("SCOPE_reports:read");
                });
    }

    @Test
    void doFilter_unexpectedFailure_isA500Problem_notAStackTrace() throws Exception {
        AuthenticationManager broken = a -> {
            throw new IllegalArgumentException("boom");
        };
        LatchkeyAuthenticationFilter filter = new LatchkeyAuthenticationFilter(broken, engine.settings());
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/hello");
        request.addHeader("Authorization", "Bearer lk_live_x");
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();

        filter.doFilter(request, response, chain);

        assertThat(response.getStatus()).isEqualTo(500);
        assertThat(response.getContentType()).startsWith("application/problem+json");
        assertThat(response.getContentAsString()).contains("\"code\":\"internal\"").doesNotContain("boom");
        assertThat(chain.getRequest()).as("not passed on").isNull();
    }
}
