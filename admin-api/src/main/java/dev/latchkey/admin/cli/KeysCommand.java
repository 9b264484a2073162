package dev.latchkey.admin.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code latchkey keys …}: the key commands; alone, it prints their list. */
@Command(name = "keys", description = "Create, list, read, change, rotate, block, reset and delete API keys, and "
        + "change their credits.",
        subcommands = {KeyCreate.class, KeyList.class, KeyCommands.Get.class, KeyUpdate.class,
                KeyCommands.Rotate.class, KeyCommands.Status.class, KeyCommands.Block.class, KeyCommands.Reset.class,
                KeyCommands.Delete.class, KeyCommands.Credits.class})
final class KeysCommand implements Callable<Integer> {

    @Spec
    @org.jspecify.annotations.Nullable CommandSpec spec;

    @Override
    public Integer call() {
        if (spec != null) {
            spec.commandLine().usage(spec.commandLine().getErr());
        }
        return ExitCodes.USAGE;
    }

    /** Parses {@code VALUE} or {@code VALUE=LABEL} IP rules into the wire shape. */
    static ArrayNode ipRules(List<String> rules) {
        ArrayNode a = AdminClient.JSON.createArrayNode();
        for (String r : rules) {
            int eq = r.indexOf('=');
            ObjectNode rule = a.addObject().put("value", eq < 0 ? r : r.substring(0, eq));
            if (eq >= 0) {
                rule.put("label", r.substring(eq + 1));
            }
        }
        return a;
    }

    /** Returns {@code list} as a JSON array of strings. */
    static ArrayNode strings(List<String> list) {
        ArrayNode a = AdminClient.JSON.createArrayNode();
        list.forEach(a::add);
        return a;
    }
}
