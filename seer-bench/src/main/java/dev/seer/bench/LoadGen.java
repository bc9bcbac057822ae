package dev.seer.bench;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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
        long[] result = run(url, token, bodyFormat, keys, rate, seconds, connections, histogram, slow);
        slow.close();
        System.out.printf(Locale.ROOT, "rate %.0f/s failed %d p50 %.3f p99 %.3f p99.9 %.3f max %.3f%n",
                result[0] / (result[1] / 1e9), result[2], histogram.getValueAtPercentile(50) / 1e6,
                histogram.getValueAtPercentile(99) / 1e6, histogram.getValueAtPercentile(99.9) / 1e6,
                histogram.getMaxValue() / 1e6);
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
                try (Connection conn = new Connection(url)) {
                    for (long i = connection; i < total; i += connections) {
                        long due = start + (long) (i * period);
                        long wait;
                        while ((wait = due - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        String body = bodyFormat == null ? null : body(bodyFormat, random.nextInt(keys));
                        if (conn.exchange(url, token, body) != 200) {
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
     * The body with its {@code %d} replaced by the key: a concatenation, because
     * {@code String.format} parses the format on every call, and the generator's own CPU is
     * taken from the server on a small machine.
     */
    static String body(String format, int key) {
        int at = format.indexOf("%d");
        return format.substring(0, at) + key + format.substring(at + 2);
    }

    /** One keep-alive HTTP/1.1 connection: writes a request, reads one response (Content-Length or chunked). */
    private static final class Connection implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;

        Connection(URI url) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(url.getHost(), url.getPort()));
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        }

        int exchange(URI url, String token, String body) throws IOException {
            StringBuilder request = new StringBuilder(body == null ? "GET " : "POST ").append(url.getRawPath())
                    .append(" HTTP/1.1\r\nHost: ").append(url.getHost()).append(':').append(url.getPort()).append("\r\n");
            if (token != null) {
                request.append("Authorization: Bearer ").append(token).append("\r\n");
            }
            byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            if (body != null) {
                request.append("Content-Type: application/json\r\nContent-Length: ").append(payload.length).append("\r\n");
            }
            byte[] head = request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
            byte[] whole = java.util.Arrays.copyOf(head, head.length + payload.length);
            System.arraycopy(payload, 0, whole, head.length, payload.length);
            out.write(whole); // one write, one segment: as real clients send a small request
            out.flush();
            return readResponse();
        }

        private int readResponse() throws IOException {
            String status = line();
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(header.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            if (chunked) {
                for (long size = Long.parseLong(line().trim(), 16); size > 0; size = Long.parseLong(line().trim(), 16)) {
                    skip(size);
                    line();
                }
                line();
            } else if (length > 0) {
                skip(length);
            }
            return code;
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

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("connection closed");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
