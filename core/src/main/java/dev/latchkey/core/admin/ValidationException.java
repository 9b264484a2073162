package dev.latchkey.core.admin;

import dev.latchkey.core.LatchkeyException;
import java.io.Serial;
import java.util.List;

/** A request broke one or more validation rules; nothing was changed. Maps to 400 {@code invalid_request}. */
public class ValidationException extends LatchkeyException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient List<FieldError> errors;

    public ValidationException(List<FieldError> errors) {
        super(summary(errors));
        this.errors = List.copyOf(errors);
    }

    /** A single-field failure. */
    public static ValidationException of(String field, String code, String description) {
        return new ValidationException(List.of(new FieldError(field, code, description)));
    }

    /** Returns every invalid field. */
    public List<FieldError> errors() {
        return errors;
    }

    private static String summary(List<FieldError> errors) {
        if (errors.isEmpty()) {
            return "invalid request";
        }
        FieldError first = errors.get(0);
        String s = first.field() + " " + first.description();
        return errors.size() == 1 ? s : s + " (and " + (errors.size() - 1) + " more)";
    }
}
