package dev.latchkey.samples.quickstart;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A quickstart started in this JVM on free ports, with what it printed. */
record Running(Quickstart quickstart, String output) implements AutoCloseable {

    /** Starts the quickstart on free ports with extra environment variables. */
    static Running start(Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>();
        env.put("LATCHKEY_PORT", "0");
        env.put("LATCHKEY_APP_PORT", "0");
        env.putAll(extraEnv);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Quickstart q = Quickstart.start(env, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Running(q, bytes.toString(StandardCharsets.UTF_8));
    }

    /** Returns the root admin token as the walkthrough prints it ({@code ADMIN_TOKEN=...}). */
    String printedAdminToken() {
        Matcher m = Pattern.compile("(?m)^ADMIN_TOKEN=(\\S+)$").matcher(output);
        if (!m.find()) {
            throw new AssertionError("no ADMIN_TOKEN line in:\n" + output);
        }
        return m.group(1);
    }

    @Override
    public void close() {
        quickstart.close();
    }
}
