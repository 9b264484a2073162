package dev.latchkey.engine;

import java.util.function.UnaryOperator;

/**
 * Resolves {@code ${NAME}} and {@code ${NAME:default}} in init-param values: the system property {@code NAME}, else
 * the environment variable {@code NAME}, else the default. A placeholder with none of them is an error naming it.
 */
final class Placeholders {

    private final UnaryOperator<String> properties;
    private final UnaryOperator<String> environment;

    Placeholders(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        this.properties = properties;
        this.environment = environment;
    }

    static Placeholders system() {
        return new Placeholders(System::getProperty, System::getenv);
    }

    /**
     * Resolves every placeholder in {@code value}.
     *
     * @throws IllegalArgumentException naming the placeholder that has no value, or an unclosed one
     */
    String resolve(String value) {
        int start = value.indexOf("${");
        if (start < 0) {
            return value;
        }
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (start >= 0) {
            int end = value.indexOf('}', start + 2);
            if (end < 0) {
                throw new IllegalArgumentException("unclosed placeholder ${ in the value");
            }
            sb.append(value, i, start);
            String body = value.substring(start + 2, end);
            int colon = body.indexOf(':');
            String name = colon < 0 ? body : body.substring(0, colon);
            String fallback = colon < 0 ? null : body.substring(colon + 1);
            if (name.isBlank()) {
                throw new IllegalArgumentException("placeholder ${" + body + "} has no name");
            }
            String resolved = properties.apply(name);
            if (resolved == null) {
                resolved = environment.apply(name);
            }
            if (resolved == null) {
                resolved = fallback;
            }
            if (resolved == null) {
                throw new IllegalArgumentException("placeholder ${" + name + "} has no value: set the system property"
                        + " or environment variable " + name + ", or write ${" + name + ":default}");
            }
            sb.append(resolved);
            i = end + 1;
            start = value.indexOf("${", i);
        }
        sb.append(value, i, value.length());
        return sb.toString();
    }
}
