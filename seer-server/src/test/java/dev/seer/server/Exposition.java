package dev.seer.server;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Prometheus text exposition (format 0.0.4) read back, checking on the way the rules of the
 * format that {@code promtool check metrics} 2.42 does not (docs/design/monitoring-research.md
 * §6.3; prometheus/docs {@code exposition_formats.md}, "Text format details"): a family's HELP and
 * TYPE come before its samples and its lines are contiguous, no series appears twice, and each
 * histogram series has buckets in increasing {@code le} with non-decreasing counts, ending in
 * {@code le="+Inf"} equal to its {@code _count}. Each broken rule is one line of {@link #problems}.
 */
final class Exposition {
    /** One sample: its name, labels (sorted) and value. */
    record Sample(String name, Map<String, String> labels, double value) {}

    /** A family: its TYPE, whether it had HELP, its samples in order. */
    record Family(String name, String type, boolean help, List<Sample> samples) {}

    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)(?: -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    final Map<String, Family> families = new LinkedHashMap<>();
    final List<String> problems = new ArrayList<>();

    Exposition(String text) {
        if (!text.endsWith("\n")) {
            problems.add("the exposition does not end with a line feed");
        }
        Set<String> helped = new HashSet<>();
        Set<String> series = new HashSet<>();
        String current = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) {
                helped.add(line.substring(7).split(" ", 2)[0]);
            } else if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ");
                current = parts[0];
                if (families.containsKey(current)) {
                    problems.add(current + ": a second TYPE line, its lines not contiguous");
                }
                families.put(current, new Family(current, parts[1], helped.contains(current), new ArrayList<>()));
            } else if (!line.isBlank() && !line.startsWith("#")) {
                Sample sample = sample(line);
                if (current == null || !belongs(sample.name(), families.get(current))) {
                    problems.add(sample.name() + ": a sample outside its family's block (no TYPE before it)");
                    continue;
                }
                if (!series.add(sample.name() + sample.labels())) {
                    problems.add(sample.name() + sample.labels() + ": a duplicate series");
                }
                families.get(current).samples().add(sample);
            }
        }
        families.values().stream().filter(f -> !f.help()).forEach(f -> problems.add(f.name() + ": no HELP"));
        families.values().stream().filter(f -> f.type().equals("histogram")).forEach(this::checkHistogram);
    }

    /** The value of the one sample of this name with exactly these labels, if there is one. */
    Optional<Double> value(String name, Map<String, String> labels) {
        return samples(name).stream().filter(s -> s.labels().equals(new TreeMap<>(labels))).map(Sample::value).findFirst();
    }

    /** Every sample of this name, whichever family holds it. */
    List<Sample> samples(String name) {
        return families.values().stream().flatMap(f -> f.samples().stream()).filter(s -> s.name().equals(name)).toList();
    }

    private static boolean belongs(String sample, Family family) {
        String f = family.name();
        return switch (family.type()) {
            case "histogram" -> sample.equals(f + "_bucket") || sample.equals(f + "_count") || sample.equals(f + "_sum");
            case "summary" -> sample.equals(f) || sample.equals(f + "_count") || sample.equals(f + "_sum");
            default -> sample.equals(f);
        };
    }

    private void checkHistogram(Family family) {
        Map<Map<String, String>, List<Sample>> buckets = new LinkedHashMap<>();
        Map<Map<String, String>, Double> counts = new LinkedHashMap<>();
        for (Sample s : family.samples()) {
            if (s.name().endsWith("_bucket")) {
                Map<String, String> rest = new TreeMap<>(s.labels());
                rest.remove("le");
                buckets.computeIfAbsent(rest, k -> new ArrayList<>()).add(s);
            } else if (s.name().endsWith("_count")) {
                counts.put(s.labels(), s.value());
            }
        }
        if (!buckets.keySet().equals(counts.keySet())) {
            problems.add(family.name() + ": series with buckets " + buckets.keySet() + " but counts " + counts.keySet());
        }
        buckets.forEach((labels, list) -> {
            double le = Double.NEGATIVE_INFINITY;
            double count = 0;
            for (Sample b : list) {
                double next = bound(b.labels().get("le"));
                if (!(next > le) || b.value() < count) {
                    problems.add(family.name() + labels + ": bucket le=" + b.labels().get("le") + " out of order or decreasing");
                }
                le = next;
                count = b.value();
            }
            Sample last = list.get(list.size() - 1);
            if (!"+Inf".equals(last.labels().get("le"))) {
                problems.add(family.name() + labels + ": no le=\"+Inf\" bucket last");
            } else if (counts.containsKey(labels) && last.value() != counts.get(labels)) {
                problems.add(family.name() + labels + ": le=\"+Inf\" bucket " + last.value() + " differs from _count "
                        + counts.get(labels));
            }
        });
    }

    private static double bound(String le) {
        return le == null ? Double.NaN : le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
    }

    private static Sample sample(String line) {
        Matcher m = SAMPLE.matcher(line);
        if (!m.matches()) {
            throw new IllegalArgumentException("Not a sample line: [" + line + "]");
        }
        Map<String, String> labels = new TreeMap<>();
        if (m.group(2) != null) {
            Matcher l = LABEL.matcher(m.group(2));
            int end = 0;
            while (l.lookingAt()) {
                labels.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\"));
                end = l.end();
                l.region(end, m.group(2).length());
            }
            if (end != m.group(2).length()) {
                throw new IllegalArgumentException("Labels that do not parse: [" + line + "]");
            }
        }
        String value = m.group(3);
        return new Sample(m.group(1), labels, switch (value) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(value);
        });
    }
}
