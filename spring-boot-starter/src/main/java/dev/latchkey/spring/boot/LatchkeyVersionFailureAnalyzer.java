package dev.latchkey.spring.boot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a {@link LatchkeyVersionException} as Spring Boot's "APPLICATION FAILED TO START" with the fix.
 *
 * @since 0.1
 */
public final class LatchkeyVersionFailureAnalyzer extends AbstractFailureAnalyzer<LatchkeyVersionException> {

    @Override
    protected FailureAnalysis analyze(Throwable root, LatchkeyVersionException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Use the library versions Latchkey supports: import dev.latchkey:latchkey-bom before Spring Boot's BOM"
                        + " (see Latchkey's README, \"Spring Boot starter\").", cause);
    }
}
