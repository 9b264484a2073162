package dev.latchkey.core;

import java.io.Serial;

/**
 * A webhook or storage config does not exist, or belongs to a tenant the caller may not see: 404 {@code not_found}
 * (API.md §4), never a hint that it exists elsewhere.
 */
public final class ConfigNotFoundException extends OperationException {

    @Serial
    private static final long serialVersionUID = 1L;

    ConfigNotFoundException(String what, String id) {
        super(Reason.NOT_FOUND, "no " + what + " with id " + safeId(id));
    }
}
