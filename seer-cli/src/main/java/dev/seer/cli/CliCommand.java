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

    /** Runs one operation, locally or through the server, and returns its answer. */
    <I, O> O call(dev.seer.server.Operation<I, O> operation, I request) {
        try (Backend backend = cli().backend(operation.name().replace('.', ' '))) {
            return backend.call(operation, request);
        }
    }

    /** Runs one long operation with its steps on stderr, each prefixed ({@code "train: "}). */
    <I, O> O callWithProgress(dev.seer.server.Operation<I, O> operation, I request, String prefix) {
        try (Backend backend = cli().backend(operation.name().replace('.', ' '))) {
            ProgressLines lines = new ProgressLines(err(), System.console() != null);
            O answer = backend.call(operation, request, m -> lines.print(prefix + m));
            lines.end();
            return answer;
        }
    }

    /** Prints an answer as the operation's JSON with {@code --json}, or as {@code human} says. */
    <O> void show(dev.seer.server.Operation<?, O> operation, O answer, Runnable human) {
        if (cli().json()) {
            printJson(operation.encodeResponse(answer));
        } else {
            human.run();
        }
    }

    void printJson(Object value) {
        out().println(value instanceof com.fasterxml.jackson.databind.JsonNode node
                ? dev.seer.core.Json.write(node) : dev.seer.core.Json.write(value));
    }
}
