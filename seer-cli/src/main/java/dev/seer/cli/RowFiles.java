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

/**
 * CSV files of rows (RFC 4180: quoted fields may hold commas, quotes and line breaks), read
 * record by record with the line each starts on: rows to score ({@code seer score}) and outcomes
 * ({@code seer feedback --file}), so both read quoting alike and name the line and column of a
 * bad value.
 */
final class RowFiles {
    private RowFiles() {}

    /** A CSV file with a header row, read one record at a time. */
    static final class Csv implements AutoCloseable {
        /** One record: the line of the file it starts on, and its fields. */
        record Record(long line, List<String> fields) {
            String get(int column) {
                return fields.get(column);
            }
        }

        private final Path file;
        private final BufferedReader in;
        private final List<String> header;
        /** The line the next record starts on. */
        private long line = 1;

        private Csv(Path file, BufferedReader in) throws IOException {
            this.file = file;
            this.in = in;
            List<String> first = read();
            if (first == null || first.isEmpty() || first.get(0).isEmpty()) {
                throw invalid(file + " has no header row");
            }
            this.header = List.copyOf(first);
        }

        static Csv open(Path file) throws IOException {
            BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
            try {
                return new Csv(file, in);
            } catch (IOException | RuntimeException e) {
                in.close();
                throw e;
            }
        }

        List<String> header() {
            return header;
        }

        /** The index of a column, or -1. */
        int column(String name) {
            return header.indexOf(name);
        }

        /**
         * The next record that is not a blank line, or null at the end; a record with another
         * number of fields than the header is refused naming its line.
         */
        Record next() throws IOException {
            while (true) {
                long at = line;
                List<String> fields = read();
                if (fields == null) {
                    return null;
                }
                if (fields.size() == 1 && fields.get(0).isEmpty()) {
                    continue; // a blank line
                }
                if (fields.size() != header.size()) {
                    throw invalid(file + " line " + at + " has " + fields.size() + " fields, the header " + header.size());
                }
                return new Record(at, fields);
            }
        }

        /** Where a value is, for an error: {@code FILE line N column NAME}. */
        String where(Record record, int column) {
            return file + " line " + record.line() + " column " + header.get(column);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }

        /** One CSV record, or null at the end of the file; counts the lines it reads, quoted line breaks included. */
        private List<String> read() throws IOException {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            while (c >= 0) {
                if (c == '\n') {
                    line++;
                }
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
    }

    /** Rows to score, read in chunks: {@code keys} columns are join keys, the others feature values. */
    static final class Reader implements AutoCloseable {
        private final Csv csv;
        private final boolean[] key;

        private Reader(Csv csv, List<String> keys, Path file) {
            this.csv = csv;
            List<String> header = csv.header();
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
            Csv.Record record;
            while (rows.size() < n && (record = csv.next()) != null) {
                Map<String, String> entity = new LinkedHashMap<>();
                Map<String, Double> features = new LinkedHashMap<>();
                for (int i = 0; i < record.fields().size(); i++) {
                    String column = csv.header().get(i);
                    if (key[i]) {
                        entity.put(column, record.get(i));
                    } else {
                        features.put(column, number(record.get(i), csv.where(record, i)));
                    }
                }
                rows.add(new Predictor.Row(entity, features));
            }
            return rows;
        }

        @Override
        public void close() throws IOException {
            csv.close();
        }
    }

    static Reader open(Path file, List<String> keys) throws IOException {
        Csv csv = Csv.open(file);
        try {
            return new Reader(csv, keys, file);
        } catch (RuntimeException e) {
            csv.close();
            throw e;
        }
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

    static SeerException invalid(String message) {
        return new SeerException(CoreErrorCode.INVALID_ARGUMENT, message);
    }
}
