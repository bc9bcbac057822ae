package dev.seer.server;

import static java.util.Objects.requireNonNull;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Who calls an operation, and where its progress goes: the local actor and the terminal for the
 * CLI, the token's actor and nowhere for the server (an HTTP answer reports only at the end).
 */
public final class Call {
    private static final Consumer<String> NOWHERE = message -> { };

    private final Supplier<String> actor;
    private final Consumer<String> progress;

    public Call(String actor, Consumer<String> progress) {
        this(() -> actor, progress);
        requireNonNull(actor, "actor is null");
    }

    /** The actor is looked up only if the handler asks (the online route never does). */
    private Call(Supplier<String> actor, Consumer<String> progress) {
        this.actor = actor;
        this.progress = requireNonNull(progress, "progress is null");
    }

    static Call of(Supplier<String> actor) {
        return new Call(actor, NOWHERE);
    }

    /** Who the audit records of this call name. */
    public String actor() {
        return actor.get();
    }

    /** Tells a step of a long operation. */
    public void progress(String message) {
        progress.accept(message);
    }

    /** The progress consumer itself, for services that take one. */
    public Consumer<String> progress() {
        return progress;
    }
}
