package dev.seer.cli;

import java.io.PrintWriter;

/**
 * Progress messages of a long command, on stderr. On a terminal a percentage line
 * ({@code "... 40%"}) is redrawn in place, so the bar moves instead of scrolling; elsewhere (a
 * log, a pipe) every message is its own line.
 */
final class ProgressLines {
    private final PrintWriter err;
    private final boolean terminal;
    private boolean inPlace;

    ProgressLines(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    synchronized void print(String message) {
        boolean percentage = message.endsWith("%");
        if (terminal && percentage) {
            err.print("\r\033[2K" + message); // return and clear the line, then redraw
            inPlace = true;
        } else {
            if (inPlace) {
                err.print("\r\033[2K");
                inPlace = false;
            }
            err.println(message);
        }
        err.flush();
    }

    /** Leaves the cursor on a fresh line. */
    synchronized void end() {
        if (inPlace) {
            err.println();
            err.flush();
            inPlace = false;
        }
    }
}
