package dev.seer.cli;

import dev.seer.core.home.HomeLock;
import dev.seer.server.Call;
import dev.seer.server.Operation;
import dev.seer.server.SeerServices;
import java.util.function.Consumer;

/**
 * The CLI owning the home for the length of one command: operations run in this process, as the
 * local actor, and record what the server's handlers record (the handlers are the same).
 */
final class LocalBackend implements Backend {
    private final SeerServices services;
    private final HomeLock lock;
    private final String actor;

    LocalBackend(SeerServices services, HomeLock lock, String actor) {
        this.services = services;
        this.lock = lock;
        this.actor = actor;
    }

    static String localActor() {
        return "cli:" + System.getProperty("user.name", "unknown");
    }

    @Override
    public <I, O> O call(Operation<I, O> operation, I request, Consumer<String> progress) {
        return operation.handle(services, request, new Call(actor, progress));
    }

    @Override
    public String describe() {
        return "home " + services.home().root();
    }

    @Override
    public void close() {
        try {
            services.close();
        } finally {
            lock.close();
        }
    }
}
