package dev.latchkey.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.authentication;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.latchkey.core.KeyStore;
import dev.latchkey.engine.Allow;
import dev.latchkey.engine.Authenticator;
import dev.latchkey.spring.boot.apps.SecuredApp;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/**
 * Tests, with Spring Security's own test support ({@code spring-security-test}), how an application tests its
 * controllers on the starter without a server: a key's {@link LatchkeyAuthentication} given straight to the request,
 * a real token through the chain, and HTTP Basic next to them.
 */
@SpringBootTest(classes = SecuredApp.class, webEnvironment = SpringBootTest.WebEnvironment.MOCK)
class LatchkeyMockMvcTest {

    @Autowired
    private WebApplicationContext context;

    @Autowired
    private KeyStore store;

    @Autowired
    private Authenticator authenticator;

    private MockMvc mvc;

    @BeforeEach
    void setUp() {
        mvc = MockMvcBuilders.webAppContextSetup(context).apply(springSecurity()).build();
    }

    @Test
    void keyAuthentication_givenToTheRequest_passesPreAuthorize() throws Exception {
        MockHttpServletResponse answer = mvc.perform(get("/reports").with(authentication(keyWith("reports:read"))))
                .andReturn().getResponse();

        assertThat(answer.getStatus()).isEqualTo(200);
        assertThat(answer.getContentAsString()).isEqualTo("{\"tenant\":\"acme\"}");
    }

    @Test
    void keyAuthentication_withoutTheScope_getsLatchkeys403() throws Exception {
        MockHttpServletResponse answer = mvc.perform(get("/reports").with(authentication(keyWith("billing:read"))))
                .andReturn().getResponse();

        assertThat(answer.getStatus()).isEqualTo(403);
        assertThat(answer.getContentType()).startsWith("application/problem+json");
        assertThat(answer.getHeader("WWW-Authenticate")).contains("scope=\"reports:read\"");
    }

    @Test
    void realToken_goesThroughTheChain() throws Exception {
        String token = new Keys(store).issue("acme", "reports:write").token();

        assertThat(mvc.perform(post("/reports").header("Authorization", "Bearer " + token)).andReturn().getResponse()
                .getStatus()).isEqualTo(200);
        assertThat(mvc.perform(post("/reports")).andReturn().getResponse().getStatus()).isEqualTo(401);
    }

    @Test
    void httpBasic_servesTheAdmin() throws Exception {
        MockHttpServletResponse answer = mvc.perform(get("/admin/stats")
                .with(httpBasic("admin", SecuredApp.ADMIN_PASSWORD))).andReturn().getResponse();

        assertThat(answer.getStatus()).isEqualTo(200);
    }

    private LatchkeyAuthentication keyWith(String scope) {
        String token = new Keys(store).issue("acme", scope).token();
        Allow allow = (Allow) authenticator.authenticateToken(token, "127.0.0.1");
        return LatchkeyAuthentication.authenticated(allow.principal(), Map.of());
    }
}
