package dev.seer.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.stream.Stream;

/**
 * What used the CPU while a benchmark measured, read from Linux's {@code /proc}: the machine's
 * busy, steal and iowait shares (from {@code /proc/stat}) and the CPU seconds of every process
 * (from {@code /proc/[pid]/stat}), split into this benchmark (its JVM and the processes it
 * started) and the others. A figure taken while a compile held both cores is not one taken on a
 * quiet machine; this report lets a reader tell them apart. The machine's shares are counted at
 * the scheduler tick, so on a mostly idle machine the busy share reads low; the processes' CPU
 * seconds are exact.
 *
 * <p>Processes are sampled every {@link #SAMPLE_MILLIS} ms, so that one that starts and ends
 * inside the interval (a test fork, a load generator) is still counted; what even that misses
 * shows as "unattributed". Ticks are {@code USER_HZ} = 100 per second, as on every Linux build
 * this runs on. Where there is no {@code /proc}, the report says so and nothing is sampled.
 */
final class CpuUse implements AutoCloseable {
    static final long SAMPLE_MILLIS = 1000;
    private static final double TICKS_PER_SECOND = 100;
    private static final int TOP = 5;

    /** The machine's time in ticks, summed over all cores, from the {@code cpu} line of {@code /proc/stat}. */
    record MachineTicks(long user, long nice, long system, long idle, long iowait, long irq, long softirq, long steal) {
        long total() {
            return user + nice + system + idle + iowait + irq + softirq + steal;
        }

        long busy() {
            return total() - idle - iowait;
        }

        MachineTicks minus(MachineTicks earlier) {
            return new MachineTicks(user - earlier.user, nice - earlier.nice, system - earlier.system, idle - earlier.idle,
                    iowait - earlier.iowait, irq - earlier.irq, softirq - earlier.softirq, steal - earlier.steal);
        }
    }

    /** One process's CPU time so far (user + system ticks), with what identifies it across samples. */
    record ProcessTicks(long pid, long parent, String name, long startTicks, long ticks) {}

    /** A process seen while watching: its ticks when watching began (null if it started later) and last seen. */
    record ProcessUse(ProcessTicks atStart, ProcessTicks last) {
        long used() {
            return last.ticks() - (atStart == null ? 0 : atStart.ticks());
        }
    }

    private final Path proc;
    private final long self;
    private final int cores;
    private final MachineTicks start;
    private final long startNanos;
    private final Map<String, ProcessUse> seen = new HashMap<>();
    private final Thread sampler;

    private CpuUse(Path proc, long self) throws IOException {
        this.proc = proc;
        this.self = self;
        String stat = Files.readString(proc.resolve("stat"));
        this.cores = cores(stat);
        this.start = machine(stat);
        this.startNanos = System.nanoTime();
        sample(true);
        this.sampler = new Thread(this::sampleUntilClosed, "cpu-use-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Nothing to watch (no {@code /proc}): every report says so. */
    private CpuUse() {
        this.proc = null;
        this.self = 0;
        this.cores = 0;
        this.start = null;
        this.startNanos = 0;
        this.sampler = null;
    }

    /** Starts watching the machine from now on. */
    static CpuUse start() {
        Path proc = Path.of("/proc");
        try {
            return Files.isReadable(proc.resolve("stat")) ? new CpuUse(proc, ProcessHandle.current().pid()) : new CpuUse();
        } catch (IOException e) {
            return new CpuUse();
        }
    }

    /** One line: what used the CPU from {@link #start()} to now, while the benchmark did {@code what}. */
    synchronized String report(String what) {
        if (proc == null) {
            return "cpu use during " + what + ": not measured (no /proc)";
        }
        MachineTicks used;
        try {
            sample(false);
            used = machine(Files.readString(proc.resolve("stat"))).minus(start);
        } catch (IOException e) {
            return "cpu use during " + what + ": not measured (" + e.getMessage() + ")";
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return format(what, seconds, used, cores, List.copyOf(seen.values()), self);
    }

    /** Stops sampling. */
    @Override
    public void close() {
        if (sampler != null) {
            sampler.interrupt();
        }
    }

    /** The text of the report; package-private and static so that a test can feed it made-up samples. */
    static String format(String what, double seconds, MachineTicks used, int cores, List<ProcessUse> processes, long self) {
        // Shares of the cores' wall time. /proc/stat counts at the scheduler tick, which an idle
        // core skips, so on a mostly idle machine its busy share (and its total) falls below the
        // processes' own, exactly kept, CPU times; wall time is the base both can be held to.
        double total = Math.max(1, seconds * cores * TICKS_PER_SECOND);
        Map<Long, Long> parents = new HashMap<>();
        processes.forEach(p -> parents.put(p.last().pid(), p.last().parent()));
        long own = 0;
        long jvm = 0;
        long others = 0;
        List<ProcessUse> rest = new ArrayList<>();
        for (ProcessUse p : processes) {
            if (p.last().pid() == self) {
                jvm += p.used();
            }
            if (isOwn(p.last().pid(), parents, self)) {
                own += p.used();
            } else {
                others += p.used();
                rest.add(p);
            }
        }
        rest.sort(Comparator.comparingLong(ProcessUse::used).reversed());
        StringJoiner top = new StringJoiner(", ");
        rest.stream().limit(TOP).filter(p -> p.used() > 0)
                .forEach(p -> top.add(String.format(Locale.ROOT, "%s[%d] %.1f s", p.last().name(), p.last().pid(),
                        p.used() / TICKS_PER_SECOND)));
        long unattributed = Math.max(0, used.busy() - used.steal() - own - others); // steal is no process's time
        return String.format(Locale.ROOT, "cpu use during %s (%.1f s x %d cores): busy %.0f%% (steal %.1f%%, iowait %.1f%%);"
                        + " this benchmark %.0f%% (%.1f s: this JVM %.1f s, its child processes %.1f s); other processes %.0f%% (%.1f s): %s; unattributed %.1f s", what,
                seconds, cores, 100 * used.busy() / total, 100 * used.steal() / total, 100 * used.iowait() / total,
                100 * own / total, own / TICKS_PER_SECOND, jvm / TICKS_PER_SECOND, (own - jvm) / TICKS_PER_SECOND, 100 * others / total, others / TICKS_PER_SECOND,
                top.length() == 0 ? "none" : top, unattributed / TICKS_PER_SECOND);
    }

    /** This JVM or a process it started (directly or not). */
    private static boolean isOwn(long pid, Map<Long, Long> parents, long self) {
        for (long p = pid, hops = 0; p > 1 && hops < 64; p = parents.getOrDefault(p, 0L), hops++) {
            if (p == self) {
                return true;
            }
        }
        return false;
    }

    private void sampleUntilClosed() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(SAMPLE_MILLIS);
                synchronized (this) {
                    sample(false);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sample(boolean first) {
        try (Stream<Path> entries = Files.list(proc)) {
            entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .forEach(p -> readProcess(p).ifPresent(t -> note(t, first)));
        } catch (IOException e) {
            // /proc itself unreadable now: the next sample tries again
        }
    }

    private void note(ProcessTicks ticks, boolean first) {
        String key = ticks.pid() + "@" + ticks.startTicks(); // a reused pid is another process
        ProcessUse before = seen.get(key);
        seen.put(key, new ProcessUse(before != null ? before.atStart() : first ? ticks : null, ticks));
    }

    private static Optional<ProcessTicks> readProcess(Path dir) {
        try {
            return Optional.of(process(Files.readString(dir.resolve("stat"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // it ended between the listing and the read
        }
    }

    /** Parses the {@code cpu} line (all cores) of {@code /proc/stat}. */
    static MachineTicks machine(String procStat) {
        String line = procStat.lines().filter(l -> l.startsWith("cpu ")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no cpu line in /proc/stat"));
        String[] f = line.trim().split("\\s+");
        return new MachineTicks(field(f, 1), field(f, 2), field(f, 3), field(f, 4), field(f, 5), field(f, 6), field(f, 7),
                field(f, 8));
    }

    /** The number of {@code cpuN} lines of {@code /proc/stat}. */
    static int cores(String procStat) {
        return (int) Math.max(1, procStat.lines().filter(l -> l.matches("cpu\\d+ .*")).count());
    }

    /**
     * Parses {@code /proc/[pid]/stat}. The name is in parentheses and may itself hold spaces and
     * parentheses, so the fields are counted from the last closing one.
     */
    static ProcessTicks process(String stat) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        String[] f = stat.substring(close + 2).trim().split("\\s+");
        // after the name: state(0) ppid(1) ... utime(11) stime(12) ... starttime(19)
        return new ProcessTicks(Long.parseLong(stat.substring(0, open).trim()), Long.parseLong(f[1]),
                stat.substring(open + 1, close), Long.parseLong(f[19]), Long.parseLong(f[11]) + Long.parseLong(f[12]));
    }

    private static long field(String[] fields, int index) {
        return index < fields.length ? Long.parseLong(fields[index]) : 0;
    }
}
