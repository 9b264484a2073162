package dev.latchkey.samples.demo;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** What the demo servlets share besides JSON. */
final class Servlets {

    private Servlets() {
    }

    /** Answers 500: a protected route was reached without the filter, which is a deployment bug. */
    static void filterMissing(HttpServletResponse response) throws IOException {
        Json.problem(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "internal", "Internal error",
                "no API-key principal on this request: is ApiKeyFilter mapped in front of this route?");
    }
}
