package dev.latchkey.admin.cli;

import dev.latchkey.admin.AdminMain;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code latchkey serve}: runs the admin service from the environment, as the jar does with no arguments. */
@Command(name = "serve", description = "Run the admin service (the default with no arguments). Settings come from "
        + "the environment: LATCHKEY_HOST, LATCHKEY_PORT, LATCHKEY_REDIS_URL, LATCHKEY_ADMIN_TOKEN, LATCHKEY_PEPPER, "
        + "LATCHKEY_TOKEN_PREFIX.")
final class ServeCommand implements Callable<Integer> {

    @Override
    public Integer call() throws InterruptedException {
        AdminMain.serve();
        return ExitCodes.OK;
    }
}
