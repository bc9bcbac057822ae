package dev.seer.server;

import dev.seer.core.SeerException;
import dev.seer.serving.ServingErrorCode;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * At most a fixed number of calls at once; one past it is refused at once (BUSY, 429) rather than queued. Past its
 * capacity a server that queues answers everything late and holds every waiting request in memory; one that refuses
 * at once keeps the latency of what it admits and lets clients back off (Retry-After).
 */
final class Admission {
    private final int limit;
    private final String what;
    private final Semaphore permits;

    /** {@code what}: the calls admitted and the setting that bounds them, for the refusal's message. */
    Admission(int limit, String what) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, not " + limit);
        }
        this.limit = limit;
        this.what = what;
        this.permits = new Semaphore(limit);
    }

    <T> T run(Supplier<T> call) {
        if (!permits.tryAcquire()) {
            throw new SeerException(ServingErrorCode.BUSY, "The server is serving " + limit + " " + what
                    + " already; try again shortly", Map.of("limit", limit));
        }
        try {
            return call.get();
        } finally {
            permits.release();
        }
    }
}
