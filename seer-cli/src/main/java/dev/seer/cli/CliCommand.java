package dev.seer.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Base of the leaf commands: reach the root's global options and the output writer. */
abstract class CliCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    SeerCli cli() {
        return (SeerCli) spec.root().userObject();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    void printJson(Object value) {
        out().println(value instanceof com.fasterxml.jackson.databind.JsonNode node
                ? dev.seer.core.Json.write(node) : dev.seer.core.Json.write(value));
    }
}
