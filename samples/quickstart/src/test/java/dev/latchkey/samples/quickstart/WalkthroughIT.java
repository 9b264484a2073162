package dev.latchkey.samples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Tests for {@link Walkthrough}: the commands the quickstart prints, pasted into bash as printed. */
class WalkthroughIT {

    @Test
    void printedWalkthrough_runsInBash_withTheAnnouncedStatuses() throws Exception {
        assumeTrue(onPath("bash") && onPath("curl"), "needs bash and curl");
        try (Running r = Running.start(Map.of())) {
            String script = r.output().substring(r.output().indexOf("# 1."));
            Process bash = new ProcessBuilder("bash").redirectErrorStream(true).start();
            bash.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
            bash.getOutputStream().close();
            assertThat(bash.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(out).containsPattern("created key [0-9A-Z]{26}");
            assertThat(statuses(out)).as(out).containsExactly(
                    "200", "401", "200", "403", // step 3
                    "200", "200", // step 4: new and old token during the grace window
                    "204", "401", "401"); // step 5
            assertThat(out).contains("\"tenant_id\":\"default\"").contains("\"scopes\":[\"reports:read\"]");
        }
    }

    private static List<String> statuses(String out) {
        Matcher m = Pattern.compile("(?m)(?:  -> |^)(\\d{3})$").matcher(out);
        List<String> codes = new java.util.ArrayList<>();
        while (m.find()) {
            codes.add(m.group(1));
        }
        return codes;
    }

    private static boolean onPath(String command) throws IOException, InterruptedException {
        return new ProcessBuilder("sh", "-c", "command -v " + command).start().waitFor() == 0;
    }
}
