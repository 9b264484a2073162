package dev.latchkey.core.admin;

import dev.latchkey.core.LatchkeyException;
import dev.latchkey.core.internal.Ids;
import java.io.Serial;

/**
 * A key operation was refused; nothing was changed. The {@link Reason} maps to an HTTP status and a problem code.
 */
public class OperationException extends LatchkeyException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Why an operation was refused. */
    public enum Reason {
        /** The key (or job) does not exist, or the caller may not see it: 404. */
        NOT_FOUND(404),
        /** The caller may see the key but not do this: 403. */
        FORBIDDEN(403),
        /** The key's state forbids this (blocked, expired, ...): 409. */
        CONFLICT(409),
        /** {@code If-Match} named a version that is no longer current: 412. */
        PRECONDITION_FAILED(412);

        private final int httpStatus;

        Reason(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        /** Returns the HTTP status this reason maps to. */
        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Reason reason;

    public OperationException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** Returns why the operation was refused. */
    public Reason reason() {
        return reason;
    }

    static OperationException keyNotFound(String id) {
        return new OperationException(Reason.NOT_FOUND, "no key with id " + safeId(id));
    }

    static OperationException jobNotFound(String id) {
        return new OperationException(Reason.NOT_FOUND, "no job with id " + safeId(id));
    }

    /** Echoes an id back only when it looks like one, so hostile input is not reflected. */
    static String safeId(String id) {
        return Ids.isValid(id) ? id : "(invalid id)";
    }
}
