package dev.latchkey.samples.demo;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.engine.ApiKeyPrincipal;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /reports} lists the caller's tenant's reports (the filter requires {@code reports:read});
 * {@code POST /reports} with an optional body {@code {"title":"…"}} adds one and answers 201 (the filter requires
 * {@code reports:write}).
 */
public class ReportsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final int MAX_BODY = 64 * 1024;

    private final transient ReportBook book;

    /** Creates the servlet with an empty report book (the form {@code web.xml} uses). */
    public ReportsServlet() {
        this(new ReportBook());
    }

    /** Creates the servlet on a report book. */
    public ReportsServlet(ReportBook book) {
        this.book = book;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ApiKeyPrincipal principal = DemoViews.principal(request);
        if (principal == null) {
            Servlets.filterMissing(response);
            return;
        }
        Json.write(response, HttpServletResponse.SC_OK, book.list(principal));
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ApiKeyPrincipal principal = DemoViews.principal(request);
        if (principal == null) {
            Servlets.filterMissing(response);
            return;
        }
        String title;
        try {
            title = title(request);
            Json.write(response, HttpServletResponse.SC_CREATED, book.add(principal, title));
        } catch (IllegalArgumentException e) {
            Json.problem(response, HttpServletResponse.SC_BAD_REQUEST, "invalid_request", "Invalid request",
                    e.getMessage());
        }
    }

    /** Reads the optional {@code {"title":"…"}} body. */
    private static @Nullable String title(HttpServletRequest request) throws IOException {
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            throw new IllegalArgumentException("the body is larger than 64 KiB");
        }
        if (new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return null;
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("the body must be a JSON object such as {\"title\":\"Q3 usage\"}");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object such as {\"title\":\"Q3 usage\"}");
        }
        JsonNode title = node.get("title");
        if (title == null || title.isNull()) {
            return null;
        }
        if (!title.isTextual()) {
            throw new IllegalArgumentException("title must be a string");
        }
        return title.asText();
    }
}
