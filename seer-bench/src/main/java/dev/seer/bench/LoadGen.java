package dev.seer.bench;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * A fixed-rate HTTP/1.1 load generator, run in its own JVM so that it is a second process like
 * {@code wrk}, but open loop (which {@code wrk} is not): request i is due at
 * {@code start + i / rate}, spread round-robin over keep-alive connections, and its latency is
 * counted from when it was due, not from when it was sent. A stalled server therefore shows as
 * latency on every request that waited behind the stall (no coordinated omission; cf. Gil Tene,
 * "How NOT to measure latency", and wrk2). Plain sockets keep the generator's own cost per
 * request to a few microseconds.
 *
 * <p>Usage: {@code LoadGen URL RATE SECONDS CONNECTIONS [TOKEN BODY_FORMAT KEYS]}; with a body,
 * each request is a POST of BODY_FORMAT with its one {@code %d} replaced by a random key below KEYS. Prints one line:
 * achieved rate, failures, p50/p99/p99.9/max in ms (after a line {@value #MEASURING} at the end of
 * the warm-up). With {@code -Dslow.log=FILE} it also lists its slow requests ({@link SlowLog}).
 */
public final class LoadGen {
    /** Printed on its own line when the warm-up ends and the measured run begins. */
    static final String MEASURING = "measuring";

    private LoadGen() {}

    public static void main(String[] args) throws Exception {
        if (args[0].equals(IDLE)) {
            idle(Integer.parseInt(args[1]));
            return;
        }
        URI url = URI.create(args[0]);
        double rate = Double.parseDouble(args[1]);
        int seconds = Integer.parseInt(args[2]);
        int connections = Integer.parseInt(args[3]);
        String token = args.length > 4 ? args[4] : null;
        String bodyFormat = args.length > 5 ? args[5] : null;
        int keys = args.length > 6 ? Integer.parseInt(args[6]) : 1;
        if (bodyFormat != null && !bodyFormat.contains("%d")) {
            throw new IllegalArgumentException("BODY_FORMAT [" + bodyFormat + "] has no %d for the key");
        }
        int warmUp = Integer.parseInt(System.getProperty("warmup", "3"));
        run(url, token, bodyFormat, keys, rate, warmUp, connections, new Histogram(3), SlowLog.NONE); // warm-up, discarded
        System.out.println(MEASURING); // the caller's cue to start watching the machine
        System.out.flush();
        Histogram histogram = new Histogram(3);
        SlowLog slow = SlowLog.fromProperties();
        long[] gcBefore = ownGc();
        Hiccups hiccups = Hiccups.start(slow);
        long[] result = run(url, token, bodyFormat, keys, rate, seconds, connections, histogram, slow);
        Histogram hiccup = hiccups.stop();
        long[] gc = ownGc();
        slow.close();
        System.out.printf(Locale.ROOT, "rate %.0f/s failed %d p50 %.3f p99 %.3f p99.9 %.3f max %.3f;"
                + " load generator's own GCs %d (%d ms), hiccups over 5 ms %d (max %.1f ms)%n",
                result[0] / (result[1] / 1e9), result[2], histogram.getValueAtPercentile(50) / 1e6,
                histogram.getValueAtPercentile(99) / 1e6, histogram.getValueAtPercentile(99.9) / 1e6,
                histogram.getMaxValue() / 1e6, gc[0] - gcBefore[0], gc[1] - gcBefore[1],
                hiccup.getCountBetweenValues(5_000_000, Long.MAX_VALUE / 4), hiccup.getMaxValue() / 1e6);
    }

    /** The first argument that makes this JVM only measure its own wake-ups: {@code idle SECONDS}. */
    static final String IDLE = "idle";

    /**
     * The machine's floor under any latency measured here: with no load at all, how late a thread that asks to
     * wake every millisecond wakes. What this counts, every route's tail inherits, whatever the server does.
     */
    private static void idle(int seconds) throws InterruptedException {
        System.out.println(MEASURING);
        System.out.flush();
        Hiccups hiccups = Hiccups.start(SlowLog.NONE);
        Thread.sleep(seconds * 1000L);
        System.out.println(Hiccups.describe(hiccups.stop()));
    }

    /**
     * A thread that asks to wake every millisecond and records how late it woke, as jHiccup does
     * (Gil Tene). This JVM has no collector and is compiled by the time it measures, so a late
     * wake-up here is the machine's or the kernel's: its threads were not run. A stall of the
     * requests that coincides with one (the slow log lists both, a hiccup with connection -1) is
     * not the server's.
     */
    static final class Hiccups {
        private final Histogram histogram = new Histogram(3);
        private final Thread thread;
        private volatile boolean running = true;

        private Hiccups(SlowLog slow) {
            thread = new Thread(() -> {
                while (running) {
                    long before = System.nanoTime();
                    LockSupport.parkNanos(1_000_000);
                    long late = Math.max(0, System.nanoTime() - before - 1_000_000);
                    histogram.recordValue(late);
                    slow.note(before + 1_000_000, late, -1);
                }
            }, "hiccups");
            thread.setDaemon(true);
            thread.start();
        }

        static Hiccups start(SlowLog slow) {
            return new Hiccups(slow);
        }

        Histogram stop() throws InterruptedException {
            running = false;
            thread.join();
            return histogram;
        }

        /** How many wake-ups were late by over 1, 2 and 5 ms, the 99th and 99.9th percentiles of lateness and its maximum. */
        static String describe(Histogram late) {
            long far = Long.MAX_VALUE / 4;
            return String.format(Locale.ROOT, "wake-ups %d, late over 1 ms %d, over 2 ms %d, over 5 ms %d;"
                    + " p99 %.2f p99.9 %.2f max %.1f (ms)", late.getTotalCount(), late.getCountBetweenValues(1_000_000, far),
                    late.getCountBetweenValues(2_000_000, far), late.getCountBetweenValues(5_000_000, far),
                    late.getValueAtPercentile(99) / 1e6, late.getValueAtPercentile(99.9) / 1e6, late.getMaxValue() / 1e6);
        }
    }

    /**
     * This JVM's garbage collections so far and their milliseconds: a collection here pauses
     * every connection and would be counted as server latency, so the result line shows how many
     * fell in the measured run.
     */
    static long[] ownGc() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    /**
     * The start of a command that runs this class in a JVM of its own, with extra JVM options.
     * The JVM has no garbage collector (Epsilon) and a pre-touched heap: a collection or a page
     * fault in the generator would stall every connection at once and be counted as server
     * latency (seen: 10–12 ms pauses of G1 here, each a burst of 50–80 slow requests). The
     * generator allocates little per request (see {@link Connection}), so 1 GiB lasts
     * far longer than any run; running out fails the run instead of skewing it.
     */
    static List<String> command(String... jvmOptions) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UnlockExperimentalVMOptions", "-XX:+UseEpsilonGC", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), LoadGen.class.getName()));
        return command;
    }

    /** What a load generator started as a child process printed, and what used the CPU while it measured. */
    record Measured(String result, String cpu) {}

    /**
     * Runs a load generator ({@code command} ends in this class's arguments) as a child process,
     * watching the machine from the end of its warm-up to its result.
     */
    static Measured measure(List<String> command, String what) throws Exception {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            if (!MEASURING.equals(line)) {
                throw new IllegalStateException("load generator failed in its warm-up: " + line);
            }
            try (CpuUse cpu = CpuUse.start()) {
                String result = out.readLine();
                if (process.waitFor() != 0 || result == null) {
                    throw new IllegalStateException("load generator failed: " + result);
                }
                return new Measured(result, cpu.report(what));
            }
        }
    }

    /** Returns {requests, elapsed nanos, failures}. */
    private static long[] run(URI url, String token, String bodyFormat, int keys, double rate, int seconds,
            int connections, Histogram histogram, SlowLog slow) throws Exception {
        long total = (long) (rate * seconds);
        double period = 1e9 / rate;
        long start = System.nanoTime() + 1_000_000;
        long[] failures = new long[connections];
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int connection = c;
            Thread thread = new Thread(() -> {
                Random random = new Random(connection);
                Histogram own = new Histogram(3);
                try (Connection conn = new Connection(url, token, bodyFormat)) {
                    for (long i = connection; i < total; i += connections) {
                        long due = start + (long) (i * period);
                        long wait;
                        while ((wait = due - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        if (conn.exchange(random.nextInt(keys)) != 200) {
                            failures[connection]++;
                        }
                        long latency = System.nanoTime() - due;
                        own.recordValue(latency);
                        slow.note(due, latency, connection);
                    }
                } catch (IOException e) {
                    failures[connection] += 1_000_000; // a lost connection is fatal to the run's figures
                    System.err.println("connection " + connection + ": " + e);
                }
                synchronized (histogram) {
                    histogram.add(own);
                }
            }, "load-" + c);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long failed = 0;
        for (long f : failures) {
            failed += f;
        }
        return new long[] {total, System.nanoTime() - start, failed};
    }

    /**
     * One keep-alive HTTP/1.1 connection: writes a request, reads one response (Content-Length or
     * chunked). It allocates nothing per request (the request is assembled in a reused buffer and
     * the response parsed as bytes), so that the generator's own garbage collector does not pause
     * it mid-run: a pause here would stall all connections at once and count as server latency.
     */
    private static final class Connection implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final byte[] head;
        private final byte[] bodyBefore;
        private final byte[] bodyAfter;
        private final byte[] request = new byte[1 << 14];
        private final byte[] line = new byte[1 << 13];
        private final byte[] digits = new byte[20];

        /** With a null body format, a GET; otherwise a POST of the format with its {@code %d} replaced per request. */
        Connection(URI url, String token, String bodyFormat) throws IOException {
            StringBuilder text = new StringBuilder(bodyFormat == null ? "GET " : "POST ").append(url.getRawPath())
                    .append(" HTTP/1.1\r\nHost: ").append(url.getHost()).append(':').append(url.getPort()).append("\r\n");
            if (token != null) {
                text.append("Authorization: Bearer ").append(token).append("\r\n");
            }
            if (bodyFormat != null) {
                text.append("Content-Type: application/json\r\nContent-Length: ");
                int at = bodyFormat.indexOf("%d");
                bodyBefore = bodyFormat.substring(0, at).getBytes(StandardCharsets.UTF_8);
                bodyAfter = bodyFormat.substring(at + 2).getBytes(StandardCharsets.UTF_8);
            } else {
                text.append("\r\n");
                bodyBefore = null;
                bodyAfter = null;
            }
            head = text.toString().getBytes(StandardCharsets.US_ASCII);
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(url.getHost(), url.getPort()));
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        }

        /** Sends one request (for a POST, with {@code key} in its body) and returns the response's status. */
        int exchange(int key) throws IOException {
            int n = put(head, 0);
            if (bodyBefore != null) {
                int keyDigits = digits(key);
                int length = bodyBefore.length + keyDigits + bodyAfter.length;
                n = putDigits(n, digits(length));
                n = put(CRLF_CRLF, n);
                n = put(bodyBefore, n);
                n = putDigits(n, digits(key));
                n = put(bodyAfter, n);
            }
            out.write(request, 0, n); // one write, one segment: as real clients send a small request
            out.flush();
            return readResponse();
        }

        private static final byte[] CRLF_CRLF = {'\r', '\n', '\r', '\n'};

        private int put(byte[] bytes, int at) {
            System.arraycopy(bytes, 0, request, at, bytes.length);
            return at + bytes.length;
        }

        /** Writes {@code value}'s decimal digits into {@link #digits} (right-aligned) and returns how many. */
        private int digits(long value) {
            int count = 0;
            long left = value;
            do {
                digits[digits.length - 1 - count++] = (byte) ('0' + left % 10);
                left /= 10;
            } while (left > 0);
            return count;
        }

        private int putDigits(int at, int count) {
            System.arraycopy(digits, digits.length - count, request, at, count);
            return at + count;
        }

        private int readResponse() throws IOException {
            int length = line();
            if (length < 12) {
                throw new IOException("bad status line");
            }
            int code = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
            long bodyLength = -1;
            boolean chunked = false;
            for (int header = line(); header > 0; header = line()) {
                if (startsWith(header, CONTENT_LENGTH)) {
                    bodyLength = number(CONTENT_LENGTH.length, header, 10);
                } else if (startsWith(header, TRANSFER_ENCODING) && contains(header, CHUNKED)) {
                    chunked = true;
                }
            }
            if (chunked) {
                for (long size = number(0, line(), 16); size > 0; size = number(0, line(), 16)) {
                    skip(size);
                    line();
                }
                line();
            } else if (bodyLength > 0) {
                skip(bodyLength);
            }
            return code;
        }

        private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] TRANSFER_ENCODING = "transfer-encoding:".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] CHUNKED = "chunked".getBytes(StandardCharsets.US_ASCII);

        private boolean startsWith(int length, byte[] lowerPrefix) {
            if (length < lowerPrefix.length) {
                return false;
            }
            for (int i = 0; i < lowerPrefix.length; i++) {
                if (Character.toLowerCase(line[i]) != lowerPrefix[i]) {
                    return false;
                }
            }
            return true;
        }

        private boolean contains(int length, byte[] lower) {
            for (int from = 0; from + lower.length <= length; from++) {
                int i = 0;
                while (i < lower.length && Character.toLowerCase(line[from + i]) == lower[i]) {
                    i++;
                }
                if (i == lower.length) {
                    return true;
                }
            }
            return false;
        }

        /** The number in {@code line[from, to)} in the radix, spaces skipped, stopping at a chunk extension. */
        private long number(int from, int to, int radix) throws IOException {
            long value = 0;
            boolean any = false;
            for (int i = from; i < to && line[i] != ';'; i++) {
                if (line[i] == ' ' || line[i] == '\t') {
                    continue;
                }
                int digit = Character.digit(line[i], radix);
                if (digit < 0) {
                    throw new IOException("bad number in response line");
                }
                value = value * radix + digit;
                any = true;
            }
            if (!any) {
                throw new IOException("no number in response line");
            }
            return value;
        }

        private void skip(long n) throws IOException {
            for (long left = n; left > 0; ) {
                long skipped = in.skip(left);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("connection closed mid-body");
                    }
                    skipped = 1;
                }
                left -= skipped;
            }
        }

        /** Reads one line into {@link #line}, without its CR LF, and returns its length. */
        private int line() throws IOException {
            int length = 0;
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("connection closed");
                }
                if (b != '\r') {
                    if (length == line.length) {
                        throw new IOException("response line over " + line.length + " bytes");
                    }
                    line[length++] = (byte) b;
                }
            }
            return length;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
