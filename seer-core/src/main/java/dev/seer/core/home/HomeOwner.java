package dev.seer.core.home;

import java.time.Instant;

/**
 * The process that owns a home: its pid, what it runs, since when, and where its server listens
 * ({@code url} is empty until the server is up, and for commands that start no server).
 */
public record HomeOwner(long pid, String command, Instant since, String url) {
    public String describe() {
        return "process " + pid + " (seer " + command + ", since " + since + (url.isEmpty() ? "" : ", at " + url) + ")";
    }
}
