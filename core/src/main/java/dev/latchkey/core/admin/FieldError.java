package dev.latchkey.core.admin;

import java.util.Objects;

/**
 * One invalid field of a request.
 *
 * @param field       the JSON path of the field, e.g. {@code scopes[2]} or {@code metadata.region}
 * @param code        a stable machine-readable reason: {@code required}, {@code pattern}, {@code size},
 *                    {@code range}, {@code invalid}, {@code future}, {@code forbidden_characters}, {@code unknown}
 * @param description a human-readable sentence (never repeats a secret)
 */
public record FieldError(String field, String code, String description) {

    public FieldError {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(description, "description");
    }
}
