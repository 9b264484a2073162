package dev.latchkey.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.admin.AdminMain;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Tests for {@link AdminMain#main} with arguments, in a JVM of its own: anything but no arguments (or {@code serve})
 * runs the command line and exits with its code. No arguments still serves (AdminMainIT).
 */
class AdminMainDispatchIT {

    private static Process java(String... args) throws Exception {
        String[] cmd = new String[4 + args.length];
        cmd[0] = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        cmd[1] = "-cp";
        cmd[2] = System.getProperty("java.class.path");
        cmd[3] = AdminMain.class.getName();
        System.arraycopy(args, 0, cmd, 4, args.length);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("LATCHKEY_"));
        return pb.start();
    }

    @Test
    void main_withACommand_runsTheCli_andExitsWithItsCode() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process p = java("keys", "list", "--url", "http://127.0.0.1:" + port);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(err).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(err).contains("cannot reach the admin service");

        Process help = java("serve", "--help");
        assertThat(help.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(help.exitValue()).isZero();
        assertThat(new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("LATCHKEY_REDIS_URL");
    }
}
