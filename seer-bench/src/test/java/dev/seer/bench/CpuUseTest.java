package dev.seer.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seer.bench.CpuUse.MachineTicks;
import dev.seer.bench.CpuUse.ProcessTicks;
import dev.seer.bench.CpuUse.ProcessUse;
import java.util.List;
import org.junit.jupiter.api.Test;

class CpuUseTest {
    private static final String STAT = """
            cpu  51730 0 12492 357166 552 0 314 3358 0 0
            cpu0 25444 0 5553 179714 89 0 77 1824 0 0
            cpu1 26286 0 6938 177452 463 0 237 1533 0 0
            intr 1234 0 0
            ctxt 99
            """;

    @Test
    void readsTheMachineLineAndCountsCores() {
        MachineTicks ticks = CpuUse.machine(STAT);

        assertThat(ticks).isEqualTo(new MachineTicks(51730, 0, 12492, 357166, 552, 0, 314, 3358));
        assertThat(ticks.busy()).isEqualTo(51730 + 12492 + 314 + 3358);
        assertThat(CpuUse.cores(STAT)).isEqualTo(2);
    }

    @Test
    void readsAProcessWhoseNameHoldsSpacesAndParentheses() {
        String stat = "4242 (Web (x) 1) S 4000 4242 4242 0 -1 4194560 100 0 0 0 1500 250 0 0 20 0 30 0 98765 0 0";

        assertThat(CpuUse.process(stat)).isEqualTo(new ProcessTicks(4242, 4000, "Web (x) 1", 98765, 1750));
    }

    @Test
    void splitsTheBenchmarkAndItsChildrenFromOtherProcesses() {
        MachineTicks used = new MachineTicks(1500, 0, 300, 150, 10, 0, 0, 40); // 20 s of 2 cores, 1840 busy
        List<ProcessUse> processes = List.of(
                use(100, 1, "java", 200, 1200), // this benchmark, 1000 ticks in the interval
                use(101, 100, "java", -1, 300), // its load generator, started in the interval
                use(300, 1, "javac", 0, 400),
                use(301, 1, "redis-server", 10, 20));

        String report = CpuUse.format("the run", 10.0, used, 2, processes, 100);

        assertThat(report).isEqualTo("cpu use during the run (10.0 s x 2 cores): busy 92% (steal 2.0%, iowait 0.5%);"
                + " this benchmark 65% (13.0 s: this JVM 10.0 s, its child processes 3.0 s); other processes 21% (4.1 s): javac[300] 4.0 s, redis-server[301] 0.1 s;"
                + " unattributed 0.9 s");
    }

    /** {@code before} -1: the process started after watching began. */
    private static ProcessUse use(long pid, long parent, String name, long before, long after) {
        ProcessTicks last = new ProcessTicks(pid, parent, name, 7, after);
        return new ProcessUse(before < 0 ? null : new ProcessTicks(pid, parent, name, 7, before), last);
    }
}
