package dev.seer.server;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import java.util.function.Consumer;

/**
 * Who calls an operation, and where its progress goes: the local actor and the terminal for the
 * CLI, the token's actor and nowhere for the server (an HTTP answer reports only at the end).
 */
public final class Call {
    private static final Consumer<String> NOWHERE = message -> { };

    private final String actor;
    private final Context ctx;
    private final Consumer<String> progress;

    public Call(String actor, Consumer<String> progress) {
        this(requireNonNull(actor, "actor is null"), null, progress);
    }

    private Call(String actor, Context ctx, Consumer<String> progress) {
        this.actor = actor;
        this.ctx = ctx;
        this.progress = requireNonNull(progress, "progress is null");
    }

    /** A request's call; its actor is looked up only if the handler asks (the online route never does). */
    static Call of(Context ctx) {
        return new Call(null, ctx, NOWHERE);
    }

    /** Who the audit records of this call name. */
    public String actor() {
        return actor != null ? actor : Authenticator.actor(ctx);
    }

    /**
     * Whether the caller may do what only an admin may within an operation others may call too
     * (moving a protected alias with an override). The local CLI owns the home: it may.
     */
    public boolean admin() {
        return ctx == null || Authenticator.admin(ctx);
    }

    /** Where the steps of a long operation are told. */
    public Consumer<String> progress() {
        return progress;
    }
}
