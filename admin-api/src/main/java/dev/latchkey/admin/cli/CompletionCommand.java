package dev.latchkey.admin.cli;

import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code latchkey completion}: prints a bash (and zsh) completion script for {@code latchkey}. */
@Command(name = "completion", description = "Print a bash/zsh completion script: "
        + "source <(java -jar latchkey-admin.jar completion), with an alias or wrapper script named latchkey.")
final class CompletionCommand implements Callable<Integer> {

    @Spec
    @Nullable CommandSpec spec;

    @Override
    public Integer call() {
        if (spec == null) {
            throw new IllegalStateException("not run by picocli");
        }
        String script = AutoComplete.bash(spec.root().name(), spec.root().commandLine());
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
