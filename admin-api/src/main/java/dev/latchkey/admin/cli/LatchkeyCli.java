package dev.latchkey.admin.cli;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * The {@code latchkey} command line: {@code serve}, {@code keys …}, {@code tenants …}, {@code verify} and
 * {@code completion}.
 * {@link #execute} parses and runs one command line and returns its {@link ExitCodes exit code}; usage errors
 * exit {@link ExitCodes#USAGE}, and a command's own failure prints one line on standard error (never a token).
 */
@Command(name = "latchkey", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        version = "latchkey admin 0.1",
        description = "Run or drive the Latchkey admin service. Commands other than serve talk to a running service: "
                + "LATCHKEY_ADMIN_URL (default http://127.0.0.1:8080) and LATCHKEY_ADMIN_TOKEN, or --url and --token.",
        subcommands = {ServeCommand.class, KeysCommand.class, TenantsCommand.class, VerifyCommand.class,
                CompletionCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:usage error, or a request the service found invalid", "2:not found",
                "3:unauthenticated or forbidden", "4:conflict or precondition failed", "5:rate limited",
                "6:unreachable, or a server error"})
public final class LatchkeyCli implements Callable<Integer> {

    private final Map<String, String> env;
    private final InputStream in;

    private LatchkeyCli(Map<String, String> env, InputStream in) {
        this.env = env;
        this.in = in;
    }

    Map<String, String> env() {
        return env;
    }

    InputStream in() {
        return in;
    }

    @Spec
    @Nullable CommandSpec spec;

    @Override
    public Integer call() {
        if (spec != null) {
            spec.commandLine().getErr().println("latchkey: name a command");
            spec.commandLine().usage(spec.commandLine().getErr());
        }
        return ExitCodes.USAGE;
    }

    /**
     * Runs one command line with the given environment and streams.
     *
     * @return the exit code (see {@link ExitCodes})
     */
    public static int execute(String[] args, Map<String, String> env, InputStream in, PrintWriter out,
            PrintWriter err) {
        CommandLine cmd = new CommandLine(new LatchkeyCli(env, in));
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setParameterExceptionHandler((e, a) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("latchkey: " + e.getMessage());
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, c.getErr())) {
                c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
            }
            c.getErr().flush();
            return ExitCodes.USAGE;
        });
        cmd.setExecutionExceptionHandler((e, c, parsed) -> {
            if (e instanceof CliException ce) {
                c.getErr().println("latchkey: " + ce.getMessage());
                c.getErr().flush();
                return ce.exitCode();
            }
            c.getErr().println("latchkey: unexpected failure: " + e.getClass().getName());
            c.getErr().flush();
            return ExitCodes.UNAVAILABLE;
        });
        return cmd.execute(args);
    }

    /** Runs one command line on the process's environment and standard streams. */
    public static int execute(String[] args) {
        // UTF-8 whatever the platform default (Java 17 still follows the locale): names and JSON print as sent.
        return execute(args, System.getenv(), System.in,
                new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
                new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
    }
}
