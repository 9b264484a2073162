package dev.latchkey.server;

import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The status line and headers of a problem that the guards answer themselves, by the service's {@link RefusalRule}. */
final class Refusals {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServerGuards.class);

    private Refusals() {
    }

    /**
     * Adds the problem's own headers and those of the rule's remap, and returns the status to send.
     *
     * @param path      the request path without the query, or {@code null} when unknown
     * @param setHeader sets one response header
     */
    static int head(GuardOptions options, @Nullable String path, Problem problem,
            BiConsumer<String, String> setHeader) {
        problem.headers().forEach(setHeader);
        RefusalRule.Remap remap;
        try {
            remap = options.refusalRule().remap(path, problem);
        } catch (RuntimeException e) {
            LOG.error("The refusal rule failed; the problem is sent with its own status", e);
            remap = null;
        }
        if (remap == null) {
            return problem.status();
        }
        remap.headers().forEach(setHeader);
        return remap.status();
    }
}
