package dev.latchkey.spring.boot;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Checks at start-up that the libraries under Latchkey are versions it supports. A project that inherits
 * {@code spring-boot-starter-parent} gets the versions Spring Boot manages, whatever a starter declares (Maven's
 * dependency management wins); those of Boot 4.0 (Lettuce 6.8, Caffeine 3.2, Micrometer 1.16) pass the starter's tests
 * and are the floor; anything older stops the application with a message that names the fix. A version that cannot be
 * read (a repackaged jar without its manifest) is not judged.
 */
final class LatchkeyVersions {

    /** A library Latchkey needs at a minimum version. */
    record Library(String name, String className, String property, String minimum, String tested) {
    }

    /** Lettuce, for the Redis store. */
    static final Library LETTUCE = new Library("Lettuce", "io.lettuce.core.RedisClient", "lettuce.version", "6.8",
            "7.7.0.RELEASE");
    /** Caffeine, for the key cache. */
    static final Library CAFFEINE = new Library("Caffeine", "com.github.benmanes.caffeine.cache.Caffeine",
            "caffeine.version", "3.2", "3.3.1");
    /** Micrometer, for the meters. */
    static final Library MICROMETER = new Library("Micrometer", "io.micrometer.core.instrument.MeterRegistry",
            "micrometer.version", "1.16", "1.17.2");

    private LatchkeyVersions() {
    }

    /** Checks Lettuce, before the Redis store opens. */
    static void checkRedis() {
        fail(problems(List.of(LETTUCE)));
    }

    /** Checks Caffeine and Micrometer, before the engine starts. */
    static void checkEngine() {
        fail(problems(List.of(CAFFEINE, MICROMETER)));
    }

    private static void fail(List<String> problems) {
        if (!problems.isEmpty()) {
            throw new LatchkeyVersionException(String.join("\n", problems));
        }
    }

    static List<String> problems(List<Library> libraries) {
        List<String> problems = new ArrayList<>();
        for (Library library : libraries) {
            String problem = problem(library, versionOf(library.className()));
            if (problem != null) {
                problems.add(problem);
            }
        }
        return problems;
    }

    /** Returns what is wrong with {@code found} for a library, or {@code null} when it is supported or unknown. */
    static @Nullable String problem(Library library, @Nullable String found) {
        if (found == null || compare(found, library.minimum()) >= 0) {
            return null;
        }
        return library.name() + " " + found + " is on the class path; Latchkey needs " + library.name() + " "
                + library.minimum() + " or later (it is tested with " + library.tested() + ")."
                + " Import dev.latchkey:latchkey-bom before spring-boot-dependencies in <dependencyManagement>, or, in a"
                + " project that inherits spring-boot-starter-parent, set <" + library.property() + ">"
                + library.tested() + "</" + library.property() + "> in <properties>.";
    }

    /** Returns the version in a class's jar manifest, without a build suffix such as {@code /34f8700}, or null. */
    static @Nullable String versionOf(String className) {
        try {
            Class<?> type = Class.forName(className, false, LatchkeyVersions.class.getClassLoader());
            Package p = type.getPackage();
            String v = p == null ? null : p.getImplementationVersion();
            if (v == null || v.isBlank()) {
                return null;
            }
            int slash = v.indexOf('/');
            return slash < 0 ? v.strip() : v.substring(0, slash).strip();
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    /** Compares the leading numbers of two versions ({@code 6.8.2.RELEASE} against {@code 6.8}). */
    static int compare(String version, String minimum) {
        String[] a = version.split("[.\\-]");
        String[] b = minimum.split("[.\\-]");
        for (int i = 0; i < b.length; i++) {
            int x = i < a.length ? leadingNumber(a[i]) : 0;
            int y = leadingNumber(b[i]);
            if (x != y) {
                return Integer.compare(x, y);
            }
        }
        return 0;
    }

    private static int leadingNumber(String part) {
        int n = 0;
        for (int i = 0; i < part.length() && Character.isDigit(part.charAt(i)) && n < 100_000; i++) {
            n = n * 10 + (part.charAt(i) - '0');
        }
        return n;
    }
}
