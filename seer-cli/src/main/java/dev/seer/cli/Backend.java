package dev.seer.cli;

import dev.seer.server.Operation;
import java.util.function.Consumer;

/**
 * What the CLI asks of a home: one {@link Operation} at a time. Two implementations:
 * {@link LocalBackend} opens the home itself when no process owns it and calls the operation's
 * handler; {@link RemoteBackend} asks the server that owns it over HTTP, which calls the same
 * handler. Either way a command gets the same value back.
 */
interface Backend extends AutoCloseable {
    /** Runs one operation; {@code progress} hears the steps of a long local one (a server reports only at the end). */
    <I, O> O call(Operation<I, O> operation, I request, Consumer<String> progress);

    /** {@link #call(Operation, Object, Consumer)} without progress. */
    default <I, O> O call(Operation<I, O> operation, I request) {
        return call(operation, request, message -> { });
    }

    /** Where the answers come from, for messages: the home folder or the server URL. */
    String describe();

    @Override
    void close();
}
