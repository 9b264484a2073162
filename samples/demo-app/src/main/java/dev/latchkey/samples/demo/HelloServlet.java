package dev.latchkey.samples.demo;

import dev.latchkey.engine.ApiKeyPrincipal;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /hello}: who is calling, from the {@link ApiKeyPrincipal} the filter set ({@code key_id},
 * {@code tenant_id}, {@code environment}, {@code scopes}, {@code client_ip}).
 */
public class HelloServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ApiKeyPrincipal principal = DemoViews.principal(request);
        if (principal == null) {
            Servlets.filterMissing(response);
            return;
        }
        Json.write(response, HttpServletResponse.SC_OK, DemoViews.hello(principal));
    }
}
