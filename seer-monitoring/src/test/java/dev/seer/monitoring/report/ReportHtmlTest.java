package dev.seer.monitoring.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seer.monitoring.drift.DatasetDrift;
import dev.seer.monitoring.drift.DriftTests;
import dev.seer.monitoring.performance.Metric;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

class ReportHtmlTest {
    private static final Pattern SVG = Pattern.compile("<svg[\\s\\S]*?</svg>");

    @Test
    void realisticReportIsWellFormedAndSelfContained() throws Exception {
        MonitorReport report = Fixtures.realistic(7, false);
        String html = ReportHtml.render(report);
        Document doc = parse(html);
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("html");
        // one drift chart, one per distribution (11 features + the prediction), one per metric
        assertThat(doc.getElementsByTagName("svg").getLength())
                .isEqualTo(1 + Fixtures.NUMERIC.size() + Fixtures.CATEGORICAL.size() + 1 + Metric.values().length);
        List<String> fragments = new ArrayList<>();
        Matcher m = SVG.matcher(html);
        while (m.find()) {
            fragments.add(m.group());
        }
        assertThat(fragments).hasSize(doc.getElementsByTagName("svg").getLength());
        for (String svg : fragments) {
            assertThat(parse(svg).getDocumentElement().getTagName()).isEqualTo("svg");
        }
        assertSafe(html, doc);
        DatasetDrift drift = report.drift().orElseThrow();
        // the shifted "age", script-named and "country" features drift, the others do not
        assertThat(drift.driftedColumns()).isEqualTo(3);
        assertThat(html).contains("No dataset drift: 3 of 11 tested features drifted (27.3%")
                .contains("Benjamini-Hochberg").contains("<polygon").contains("no labels");
        int prediction = report.prediction().orElseThrow().drift().drifted() ? 1 : 0;
        assertThat(html.split("<td class=\"drift\">yes</td>", -1)).hasSize(1 + 3 + prediction);
        assertThat(html).contains("<tr><td>age</td><td>K-S p_value</td>");
        // the third window has no data, the fourth no labels
        assertThat(html).contains("<td colspan=\"3\" class=\"muted\">no data</td>");
        Set<String> ids = new HashSet<>();
        NodeList all = doc.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            String id = ((Element) all.item(i)).getAttribute("id");
            assertThat(id.isEmpty() || ids.add(id)).as("unique id %s", id).isTrue();
        }
    }

    @Test
    void hostileTextIsEscapedEverywhere() throws Exception {
        String html = ReportHtml.render(Fixtures.realistic(7, false));
        assertSafe(html, parse(html));
        assertThat(html)
                .contains("&lt;script&gt;alert(1)&lt;&#47;script&gt;")
                .contains("&quot;onmouseover=&quot;x")
                .contains("&amp;amp;")
                .contains("&lt;&#47;svg&gt;")
                .contains("température ☃ 𝔘")
                .contains("https:&#47;&#47;evil.example&#47;x.js")
                .contains("&#39; onload=&#39;x")
                .contains("&lt;img src=x onerror=alert(1)&gt;")
                .contains("&lt;b&gt;bold&lt;&#47;b&gt;")
                .contains("&#47;&#47;cdn.example")
                .contains("日本")
                .contains("bell\uFFFD\uFFFD[31m")
                .doesNotContain("\u0007").doesNotContain("\u001b");
        // the names reach SVG attributes too, attribute-escaped
        assertThat(html).contains("aria-label=\"Distribution of &lt;script&gt;alert(1)&lt;&#47;script&gt;: reference");
        assertThat(html).contains("aria-label=\"Distribution of &quot;onmouseover=&quot;x: reference and current\"");
    }

    @Test
    void sameResultsRenderTheSameBytesWhateverTheOrder() {
        // KLL sketches compact at random, so one set of results is built and reported twice
        Fixtures.Parts parts = Fixtures.parts(11);
        String a = ReportHtml.render(Fixtures.report(parts, false));
        String b = ReportHtml.render(Fixtures.report(parts, true));
        assertThat(b).isEqualTo(a);
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertThat(ReportHtml.render(Fixtures.report(parts, false))).isEqualTo(a);
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void structureMatchesTheGoldenSkeleton() throws Exception {
        String skeleton = skeleton(parse(ReportHtml.render(Fixtures.realistic(3, false))).getDocumentElement());
        Path golden = Path.of("src/test/resources/report/html-skeleton.txt");
        if (!Files.exists(golden)) {
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target/html-skeleton.txt"), skeleton, StandardCharsets.UTF_8);
        }
        assertThat(skeleton).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }

    @Test
    void rangeWithoutDataRendersANoDataSection() throws Exception {
        MonitorReport empty = MonitorReport.builder("churn", Fixtures.FROM, Fixtures.TO).build();
        String html = ReportHtml.render(empty);
        assertSafe(html, parse(html));
        assertThat(html).contains("<section id=\"no-data\"").contains("No data in this range").doesNotContain("<svg");

        // results computed over an empty range: every column NO_DATA, empty current profiles
        DriftTests tests = DriftTests.defaults();
        MonitorReport noRows = MonitorReport.builder("churn", Fixtures.FROM, Fixtures.TO)
                .drift(tests.dataset(List.of(tests.numeric("age", new double[] {1, 2, 3}, new double[0]),
                        tests.categorical("country", new String[] {"FR"}, new String[0]))))
                .profiles(Fixtures.profile("x", new double[] {1, 2}), Fixtures.profile("x", new double[0]))
                .build();
        assertThat(noRows.status()).isEqualTo(MonitorReport.Status.NO_DATA);
        String html2 = ReportHtml.render(noRows);
        parse(html2);
        assertThat(html2).contains("No data in this range");
    }

    @Test
    void featureWithoutCurrentDataRendersNoData() throws Exception {
        DriftTests tests = DriftTests.defaults();
        MonitorReport report = MonitorReport.builder("churn", Fixtures.FROM, Fixtures.TO)
                .drift(tests.dataset(List.of(tests.numeric("age", new double[] {1, 2, 3, 4, 5, 6, 7},
                        new double[] {2, 3, 4, 5, 6, 7, 8}), tests.numeric("empty", new double[] {1, 2}, new double[0]))))
                .distribution("empty", MonitorReport.Distribution.numeric(
                        Fixtures.profile("empty", new double[] {1, 2}).numeric("empty"),
                        Fixtures.profile("empty", new double[0]).numeric("empty")))
                .build();
        String html = ReportHtml.render(report);
        parse(html);
        assertThat(report.status()).isEqualTo(MonitorReport.Status.OK);
        assertThat(html).contains("<td class=\"muted\">no data</td>").contains("no current data");
    }

    @Test
    void profiledButUntestedFeatureRendersItsDistribution() throws Exception {
        MonitorReport report = MonitorReport.builder("churn", Fixtures.FROM, Fixtures.TO)
                .profiles(Fixtures.profile("x", new double[] {1, 2, 3, 4}), Fixtures.profile("x", new double[] {2, 3}))
                .build();
        String html = ReportHtml.render(report);
        assertSafe(html, parse(html));
        assertThat(html).contains("<td colspan=\"6\" class=\"muted\">not tested</td>").contains("<figure id=\"feature-1\">")
                .doesNotContain("id=\"dataset-drift\"");
        assertThat(ReportText.render(report)).contains("not tested");
    }

    /** The whole output: nothing that runs, nothing that loads, no URL of any kind. */
    static void assertSafe(String html, Document doc) {
        String lower = html.toLowerCase(Locale.ROOT);
        assertThat(lower).doesNotContain("<script").doesNotContain("http://").doesNotContain("https://")
                .doesNotContain("//").doesNotContain("url(").doesNotContain("@import").doesNotContain("<link")
                .doesNotContain("<img").doesNotContain("<iframe").doesNotContain("<object").doesNotContain("<embed");
        // attribute values hold escaped text only (no raw quote can end them early), so with the
        // values blanked out, whatever is left inside a tag is markup written by the renderer
        String markup = html.replaceAll("\"[^\"]*\"", "\"\"");
        assertThat(Pattern.compile("<[^>]*\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE).matcher(markup).find()).isFalse();
        assertThat(html.replaceAll("<[^>]*>", "")).doesNotContain("\"").doesNotContain("<");
        NodeList all = doc.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            assertThat(e.getTagName().toLowerCase(Locale.ROOT)).isNotIn("script", "foreignobject", "a", "use", "image");
            NamedNodeMap attributes = e.getAttributes();
            for (int j = 0; j < attributes.getLength(); j++) {
                String name = attributes.item(j).getNodeName().toLowerCase(Locale.ROOT);
                assertThat(name).doesNotStartWith("on").isNotIn("href", "src", "xlink:href", "style", "srcset");
            }
        }
    }

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
        factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        factory.setExpandEntityReferences(false);
        DocumentBuilder builder = factory.newDocumentBuilder();
        builder.setErrorHandler(null);
        return builder.parse(new InputSource(new StringReader(xml)));
    }

    /** Element names with their id and class, indented by depth: the report's shape without its numbers. */
    static String skeleton(Element root) throws IOException {
        StringBuilder out = new StringBuilder();
        walk(root, 0, out);
        return out.toString();
    }

    private static void walk(Element e, int depth, StringBuilder out) {
        String tag = e.getTagName();
        if (List.of("rect", "line", "circle", "text", "title", "polygon", "polyline", "tr", "td", "th").contains(tag)) {
            return;
        }
        out.append("  ".repeat(depth)).append(tag);
        if (e.hasAttribute("id")) {
            out.append('#').append(e.getAttribute("id"));
        }
        if (e.hasAttribute("class")) {
            out.append('.').append(e.getAttribute("class").replace(' ', '.'));
        }
        out.append('\n');
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element child) {
                walk(child, depth + 1, out);
            }
        }
    }
}
