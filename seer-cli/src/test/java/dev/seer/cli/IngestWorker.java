package dev.seer.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;

/**
 * The CLI in its own process, for the crash test: {@code PAUSE_AT ARGS...}. Each progress line
 * the CLI writes on stderr is copied to stdout as {@code progress LINE}; a line matching the
 * regular expression {@code PAUSE_AT} (none if empty) is copied and then the thread that wrote it
 * waits forever, so that the test's SIGKILL lands exactly after that step and before the next.
 */
public final class IngestWorker {
    private IngestWorker() {}

    public static void main(String[] args) {
        Pattern pauseAt = args[0].isEmpty() ? null : Pattern.compile(args[0]);
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(new ProgressCopy(pauseAt), true);
        System.exit(SeerCli.run(Arrays.copyOfRange(args, 1, args.length), System.getenv(), Clock.systemUTC(), out, err));
    }

    /** Copies complete lines to stdout, and parks the writer of a line that matches the pause. */
    private static final class ProgressCopy extends Writer {
        private final Pattern pauseAt;
        private final StringBuilder line = new StringBuilder();

        ProgressCopy(Pattern pauseAt) {
            this.pauseAt = pauseAt;
        }

        @Override
        public void write(char[] chars, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                if (chars[i] == '\n') {
                    copy(line.toString());
                    line.setLength(0);
                } else {
                    line.append(chars[i]);
                }
            }
        }

        private void copy(String progress) {
            System.out.println("progress " + progress);
            System.out.flush();
            if (pauseAt != null && pauseAt.matcher(progress).matches()) {
                try {
                    new CountDownLatch(1).await(); // until the test kills this process
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void flush() {
            System.out.flush();
        }

        @Override
        public void close() {
            flush();
        }
    }
}
