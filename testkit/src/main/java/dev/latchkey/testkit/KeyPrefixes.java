package dev.latchkey.testkit;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;

/** Hands out key prefixes that no two callers in this JVM (or, with high probability, two JVMs) share. */
final class KeyPrefixes {

    private static final String RUN = HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private KeyPrefixes() {
    }

    /** Returns a fresh prefix such as {@code lkt-a1b2c3-7:}. */
    static String next() {
        return "lkt-" + RUN + "-" + COUNTER.incrementAndGet() + ":";
    }
}
