package dev.latchkey.server;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Decides the status line of the problems that the guards answer by themselves (a request head, URI or body they
 * refuse, a method they never pass on, a failure escaping the application), for a service whose callers cannot take
 * every status: the gateway's nginx door, where nginx turns most statuses of an auth subrequest into a 500
 * (API.md §11). The problem body keeps its own {@code status}; only the status line changes, and headers are added.
 *
 * <p>Implementations must be thread-safe, fast and must not throw.
 */
@FunctionalInterface
public interface RefusalRule {

    /** The rule that sends every problem with its own status. */
    RefusalRule AS_IS = (path, problem) -> null;

    /**
     * Returns how to send a problem, or {@code null} to send it with its own status.
     *
     * @param path    the request path as received (without the query), or {@code null} when the request line could
     *                not be read that far
     * @param problem the problem to answer
     */
    @Nullable Remap remap(@Nullable String path, Problem problem);

    /**
     * The status line to send a problem with, and headers to add.
     *
     * @param status  the HTTP status to send, 400 to 599
     * @param headers headers added to the answer, in order
     */
    record Remap(int status, Map<String, String> headers) {
        /**
         * Validates the components.
         *
         * @throws IllegalArgumentException when the status is not 400 to 599
         */
        public Remap {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("a refusal's status is 400 to 599, not " + status);
            }
            headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
        }
    }
}
