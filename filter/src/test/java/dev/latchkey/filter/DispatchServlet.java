package dev.latchkey.filter;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Hands a request on to {@link EchoServlet} at {@code /hello} by another dispatch: {@code /dispatch/forward},
 * {@code /dispatch/include} or {@code /dispatch/async}, so tests can see what the app gets after a non-REQUEST
 * dispatch through the filter.
 */
final class DispatchServlet extends HttpServlet {

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        String how = req.getPathInfo() == null ? "" : req.getPathInfo();
        switch (how) {
            case "/forward" -> req.getRequestDispatcher("/hello").forward(req, resp);
            case "/include" -> req.getRequestDispatcher("/hello").include(req, resp);
            case "/async" -> {
                AsyncContext async = req.startAsync();
                async.start(() -> async.dispatch("/hello"));
            }
            default -> resp.sendError(404);
        }
    }
}
