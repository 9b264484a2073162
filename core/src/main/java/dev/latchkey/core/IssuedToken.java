package dev.latchkey.core;

import java.util.Objects;

/**
 * A freshly issued token: the plaintext, to hand to the caller exactly once, and the credential to store.
 * {@link #toString()} hides the plaintext so it cannot reach a log by accident.
 */
public record IssuedToken(String plaintext, Credential credential) {

    public IssuedToken {
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(credential, "credential");
    }

    @Override
    public String toString() {
        return "IssuedToken[hint=" + credential.hint() + "]";
    }
}
