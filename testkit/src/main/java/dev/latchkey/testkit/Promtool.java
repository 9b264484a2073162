package dev.latchkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Runs Prometheus's {@code promtool check metrics} on a scrape, as an operator's CI would. Tests that use it fail
 * with an install hint when {@code promtool} is missing (Debian: {@code apt-get install -y prometheus}) rather
 * than skipping, so a machine without it cannot pass silently.
 */
public final class Promtool {

    private Promtool() {
    }

    /** Returns the {@code promtool} on the {@code PATH}, or {@code null}. */
    public static @Nullable Path find() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, "promtool");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Asserts that {@code promtool check metrics} reads {@code scrape} without a problem.
     *
     * @throws AssertionError when promtool is missing or reports anything
     */
    public static void assertClean(String scrape) {
        Path promtool = find();
        assertThat(promtool)
                .as("promtool is not on the PATH: install it with `apt-get update && apt-get install -y prometheus`")
                .isNotNull();
        try {
            Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(scrape.getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
            assertThat(out).as("promtool check metrics").isBlank();
            assertThat(p.exitValue()).as("promtool exit status; output: %s", out).isZero();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
