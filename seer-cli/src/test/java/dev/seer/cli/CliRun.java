package dev.seer.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One in-process run of the {@code seer} command, with what it printed. */
record CliRun(int exitCode, String out, String err) {
    static CliRun run(Path home, String... args) {
        return run(Map.of(), home, args);
    }

    static CliRun run(Map<String, String> environment, Path home, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("--home", home.toString()));
        all.addAll(List.of(args));
        int code = SeerCli.run(all.toArray(new String[0]), environment, Clock.systemUTC(), new PrintWriter(out, true),
                new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }
}
