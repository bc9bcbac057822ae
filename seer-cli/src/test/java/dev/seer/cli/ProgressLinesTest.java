package dev.seer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressLinesTest {
    @Test
    void onATerminalPercentagesRedrawOneLine() {
        StringWriter text = new StringWriter();
        ProgressLines lines = new ProgressLines(new PrintWriter(text), true);
        lines.print("reading [#---] 5%");
        lines.print("reading [##--] 50%");
        lines.print("read 10 rows");
        lines.end();
        assertThat(text.toString()).isEqualTo("\r\033[2Kreading [#---] 5%\r\033[2Kreading [##--] 50%\r\033[2Kread 10 rows"
                + System.lineSeparator());
    }

    @Test
    void elsewhereEveryMessageIsALine() {
        StringWriter text = new StringWriter();
        ProgressLines lines = new ProgressLines(new PrintWriter(text), false);
        lines.print("reading [#---] 5%");
        lines.print("read 10 rows");
        lines.end();
        assertThat(text.toString()).isEqualTo("reading [#---] 5%" + System.lineSeparator() + "read 10 rows" + System.lineSeparator());
    }
}
