package dev.seer.cli;

import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import dev.seer.serving.deploy.Predictor;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rows to score from a CSV file (RFC 4180: quoted fields may hold commas, quotes and line breaks). */
final class RowFiles {
    private RowFiles() {}

    /** Reads rows in chunks; names the file, line and column of a bad value. */
    static final class Reader implements AutoCloseable {
        private final Path file;
        private final BufferedReader in;
        private final List<String> header;
        private final boolean[] key;
        private long line = 1;

        private Reader(Path file, BufferedReader in, List<String> header, List<String> keys) {
            this.file = file;
            this.in = in;
            this.header = header;
            this.key = new boolean[header.size()];
            for (String k : keys) {
                int i = header.indexOf(k);
                if (i < 0) {
                    throw invalid(file + " has no column [" + k + "] (its columns: " + header + ")");
                }
                key[i] = true;
            }
        }

        /** Up to {@code n} rows; empty at the end. */
        List<Predictor.Row> next(int n) throws IOException {
            List<Predictor.Row> rows = new ArrayList<>(n);
            List<String> fields;
            while (rows.size() < n && (fields = record(in)) != null) {
                line++;
                if (fields.size() == 1 && fields.get(0).isEmpty()) {
                    continue; // a blank line
                }
                if (fields.size() != header.size()) {
                    throw invalid(file + " line " + line + " has " + fields.size() + " fields, the header " + header.size());
                }
                Map<String, String> entity = new LinkedHashMap<>();
                Map<String, Double> features = new LinkedHashMap<>();
                for (int i = 0; i < fields.size(); i++) {
                    if (key[i]) {
                        entity.put(header.get(i), fields.get(i));
                    } else {
                        features.put(header.get(i), number(fields.get(i), file + " line " + line + " column "
                                + header.get(i)));
                    }
                }
                rows.add(new Predictor.Row(entity, features));
            }
            return rows;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    static Reader open(Path file, List<String> keys) throws IOException {
        BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        List<String> header = record(in);
        if (header == null || header.isEmpty() || header.get(0).isEmpty()) {
            in.close();
            throw invalid(file + " has no header row");
        }
        return new Reader(file, in, header, keys);
    }

    /** A number, or NaN for empty text or {@code null}; anything else is refused naming {@code where}. */
    static double number(String text, String where) {
        String t = text.strip();
        if (t.isEmpty() || t.equals("null")) {
            return Double.NaN;
        }
        try {
            double v = Double.parseDouble(t);
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw invalid(where + ": [" + text + "] is not a finite number");
    }

    /** Outputs joined by {@code ;} (one number for most models). */
    static String outputs(double[] output) {
        StringBuilder s = new StringBuilder();
        for (double v : output) {
            s.append(s.length() == 0 ? "" : ";").append(v);
        }
        return s.toString();
    }

    /** One CSV record, or null at the end of the file. */
    private static List<String> record(BufferedReader in) throws IOException {
        int c = in.read();
        if (c < 0) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        while (c >= 0) {
            if (quoted) {
                if (c == '"') {
                    in.mark(1);
                    int next = in.read();
                    if (next == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        if (next >= 0) {
                            in.reset();
                        }
                    }
                } else {
                    field.append((char) c);
                }
            } else if (c == '"' && field.length() == 0) {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                break;
            } else if (c != '\r') {
                field.append((char) c);
            }
            c = in.read();
        }
        fields.add(field.toString());
        return fields;
    }

    private static SeerException invalid(String message) {
        return new SeerException(CoreErrorCode.INVALID_ARGUMENT, message);
    }
}
