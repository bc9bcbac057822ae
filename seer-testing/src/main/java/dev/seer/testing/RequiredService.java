package dev.seer.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when a service it needs (PostgreSQL, Redis) is not there. On a developer's
 * machine it is skipped with the reason, so a missing service is visible but not a failure;
 * under CI ({@code CI=true}) the services are started by {@code .ci/run}, so it fails.
 */
public final class RequiredService {
    private RequiredService() {}

    /** Aborts the running test, or throws under CI; never returns normally. */
    public static RuntimeException missing(String reason, Throwable cause) {
        if (underCi()) {
            throw new IllegalStateException(reason + " (CI=true: the CI run must provide it)", cause);
        }
        Assumptions.abort(reason + " (skipped outside CI; under CI=true this fails)");
        return new IllegalStateException("unreachable: the test was aborted");
    }

    static boolean underCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
