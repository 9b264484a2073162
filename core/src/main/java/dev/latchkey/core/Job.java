package dev.latchkey.core;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An asynchronous job, such as a key reset. It never holds a secret.
 *
 * @param id         the job id (a ULID)
 * @param jobName    what the job does, e.g. {@value #RESET_KEY}
 * @param status     running, success or failed
 * @param keyId      the key the job works on
 * @param tenantId   the key's tenant, so tenant admins see only their own jobs
 * @param createdAt  when the job was accepted
 * @param finishedAt when it succeeded or failed, else {@code null}
 * @param error      why it failed, else {@code null}
 */
public record Job(String id, String jobName, JobStatus status, String keyId, String tenantId, Instant createdAt,
        @Nullable Instant finishedAt, @Nullable String error) {

    /** The name of the job that resets a key's secret. */
    public static final String RESET_KEY = "reset_key";

    public Job {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(jobName, "jobName");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Returns the job as finished successfully at {@code at}. */
    public Job succeeded(Instant at) {
        return new Job(id, jobName, JobStatus.SUCCESS, keyId, tenantId, createdAt, at, null);
    }

    /** Returns the job as failed at {@code at} with a reason (never a secret). */
    public Job failed(Instant at, String reason) {
        return new Job(id, jobName, JobStatus.FAILED, keyId, tenantId, createdAt, at, reason);
    }
}
