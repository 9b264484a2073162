package dev.latchkey.filter;

import dev.latchkey.engine.ApiKeyPrincipal;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;

/** The protected application: tells what the filter handed it, one {@code name=value} per line. */
final class EchoServlet extends HttpServlet {

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (req.getMethod().equals("OPTIONS")) {
            resp.setStatus(204);
            return;
        }
        if (req.getMethod().equals("HEAD")) {
            resp.setStatus(200);
            return;
        }
        resp.setCharacterEncoding("UTF-8");
        resp.setContentType("text/plain");
        Principal p = req.getUserPrincipal();
        StringBuilder sb = new StringBuilder();
        sb.append("path=").append(req.getRequestURI()).append('\n');
        sb.append("principal=").append(p == null ? "none" : p.getName()).append('\n');
        sb.append("authType=").append(req.getAuthType()).append('\n');
        sb.append("remoteUser=").append(req.getRemoteUser()).append('\n');
        sb.append("role.reports:read=").append(req.isUserInRole("reports:read")).append('\n');
        sb.append("role.other=").append(req.isUserInRole("other:thing")).append('\n');
        Object attr = req.getAttribute("latchkey.key") /* the name API.md §5 gives */;
        sb.append("attribute=").append(attr == p && attr != null).append('\n');
        if (p instanceof ApiKeyPrincipal k) {
            sb.append("tenant=").append(k.tenantId()).append('\n');
            sb.append("environment=").append(k.environment()).append('\n');
            sb.append("scopes=").append(String.join(" ", k.scopes())).append('\n');
            sb.append("metadata=").append(k.metadata()).append('\n');
            sb.append("clientIp=").append(k.clientIp()).append('\n');
        }
        resp.getWriter().write(sb.toString());
    }
}
