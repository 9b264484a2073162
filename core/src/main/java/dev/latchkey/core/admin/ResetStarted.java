package dev.latchkey.core.admin;

import dev.latchkey.core.Job;
import java.util.Objects;

/**
 * The answer to a reset: the job that commits it and the new token, which works once the job succeeds. The
 * plaintext is handed out here only; {@link #toString()} hides it.
 */
public record ResetStarted(Job job, String token) {

    public ResetStarted {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(token, "token");
    }

    @Override
    public String toString() {
        return "ResetStarted[job=" + job.id() + ", key=" + job.keyId() + "]";
    }
}
