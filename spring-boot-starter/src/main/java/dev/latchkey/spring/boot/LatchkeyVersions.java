package dev.latchkey.spring.boot;

/** Placeholder; filled in below. */
final class LatchkeyVersions {
    private LatchkeyVersions() {
    }

    static void checkRedis() {
    }

    static void checkEngine() {
    }
}
