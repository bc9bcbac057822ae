package dev.seer.monitoring.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.seer.core.SeerException;
import dev.seer.monitoring.MonitoringErrorCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ProfileTest {
    static final List<Profile.Column> SCHEMA = List.of(
            Profile.Column.numeric("age"), Profile.Column.numeric("spend"), Profile.Column.categorical("city"));
    private static final String[] CITIES = {"paris", "lyon", "nice", "lille", "brest"};

    /** Rows: age a multiple of 1/1024 (sums exact in doubles), spend lognormal, city skewed, some missing. */
    static List<Object[]> rows(long seed, int n) {
        Random random = new Random(seed);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Object age = i % 97 == 0 ? null : Math.round((40 + 12 * random.nextGaussian()) * 1024) / 1024.0;
            Object spend = i % 89 == 0 ? Double.NaN : Math.exp(3 + random.nextGaussian());
            Object city = i % 101 == 0 ? null : CITIES[Math.min(random.nextInt(5), random.nextInt(5))];
            rows.add(new Object[] {age, spend, city});
        }
        return rows;
    }

    static Profile profile(List<Object[]> rows) {
        Profile profile = Profile.create(SCHEMA);
        rows.forEach(profile::update);
        return profile;
    }

    @Test
    void aRefusedRowLeavesNoColumnCounted() {
        Profile profile = Profile.create(List.of(Profile.Column.numeric("a"), Profile.Column.numeric("b")));
        profile.update(new Object[] {1.0, 2.0});
        assertThatThrownBy(() -> profile.update(new Object[] {5.0, "oops"})).isInstanceOf(SeerException.class)
                .hasMessageContaining("[b]");
        assertThat(profile.numeric("a").count()).isEqualTo(1);
        assertThat(profile.numeric("a").max()).isEqualTo(1.0);
        assertThat(profile.numeric("b").count()).isEqualTo(1);
    }

    @Test
    void mergeEqualsOneProfileOfTheUnion() {
        List<Object[]> all = rows(1, 60_000);
        Profile whole = profile(all);
        Profile merged = profile(all.subList(0, 7_000))
                .merge(profile(all.subList(7_000, 31_000)))
                .merge(profile(all.subList(31_000, 60_000)));

        for (String name : List.of("age", "spend")) {
            NumericColumn m = merged.numeric(name);
            NumericColumn w = whole.numeric(name);
            assertThat(m.count()).isEqualTo(w.count());
            assertThat(m.missing()).isEqualTo(w.missing()).isPositive();
            assertThat(m.min()).isEqualTo(w.min());
            assertThat(m.max()).isEqualTo(w.max());
            assertThat(m.mean()).as(name).isEqualTo(w.mean());
            assertThat(m.variance()).isCloseTo(w.variance(), within(1e-12 * w.variance()));
            assertThat(m.variance()).isCloseTo(twoPassVariance(values(all, name)), within(1e-12 * w.variance()));
            assertThat(m.mean()).isCloseTo(Arrays.stream(values(all, name)).average().orElseThrow(), within(1e-12 * Math.abs(m.mean())));
            // the merged sketch answers ranks of the union within its error
            double[] sorted = values(all, name);
            Arrays.sort(sorted);
            for (double r = 0.01; r < 1; r += 0.01) {
                double q = sorted[(int) (r * sorted.length)];
                double exactRank = (double) upperBound(sorted, q) / sorted.length;
                assertThat(Math.abs(m.rank(q) - exactRank)).as("%s rank at %s", name, q).isLessThanOrEqualTo(m.rankError());
            }
            assertThat(m.rankError()).isCloseTo(0.013294757464848584, within(1e-15));
        }
        CategoricalColumn city = merged.categorical("city");
        Map<String, Long> exact = Arrays.stream(values(all)).collect(Collectors.groupingBy(c -> c, Collectors.counting()));
        assertThat(city.count()).isEqualTo(whole.categorical("city").count());
        assertThat(city.missing()).isEqualTo(whole.categorical("city").missing()).isPositive();
        for (String c : CITIES) {
            assertThat(city.estimate(c)).isEqualTo(exact.get(c)); // 5 categories: counted exactly
        }
        assertThat(city.maximumError()).isZero();
        assertThat(city.distinct()).isCloseTo(5, within(0.01));
    }

    @Test
    void mergeLeavesBothInputsUnchanged() {
        Profile a = profile(rows(2, 1_000));
        Profile b = profile(rows(3, 500));
        byte[] aBefore = a.toBytes();
        byte[] bBefore = b.toBytes();

        Profile merged = a.merge(b);

        assertThat(a.toBytes()).isEqualTo(aBefore);
        assertThat(b.toBytes()).isEqualTo(bBefore);
        assertThat(merged.numeric("age").rows()).isEqualTo(1_500);
    }

    @Test
    void mergeAcceptsTheSameColumnsInAnotherOrder() {
        Profile reordered = Profile.create(List.of(SCHEMA.get(2), SCHEMA.get(0), SCHEMA.get(1)));
        reordered.update(new Object[] {"paris", 1.0, 2.0});

        Profile merged = profile(rows(4, 10)).merge(reordered);

        assertThat(merged.schema()).isEqualTo(SCHEMA);
        assertThat(merged.categorical("city").rows()).isEqualTo(11);
        assertThat(merged.numeric("age").max()).isGreaterThan(1.0);
    }

    @Test
    void mergeRefusesAnotherSchemaNamingTheColumn() {
        Profile profile = profile(rows(5, 10));

        assertIncompatible(() -> profile.merge(Profile.create(List.of(SCHEMA.get(0), SCHEMA.get(1)))), "city",
                "Column [city] is missing from the other profile");
        assertIncompatible(() -> profile.merge(Profile.create(List.of(SCHEMA.get(0), SCHEMA.get(1),
                Profile.Column.numeric("city")))), "city", "Column [city] is CATEGORICAL here and NUMERIC in the other profile");
        List<Profile.Column> wider = new ArrayList<>(SCHEMA);
        wider.add(Profile.Column.numeric("tenure"));
        assertIncompatible(() -> profile.merge(Profile.create(wider)), "tenure",
                "The other profile has column [tenure], which this profile does not");
    }

    private static void assertIncompatible(Runnable merge, String column, String message) {
        assertThatThrownBy(merge::run).isInstanceOfSatisfying(SeerException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(MonitoringErrorCode.INCOMPATIBLE);
            assertThat(e.details()).containsEntry("column", column);
        }).hasMessage(message);
    }

    @Test
    void missingValuesAreNullNanAndInfinity() {
        Profile profile = Profile.create(SCHEMA);
        profile.update(new Object[] {null, Double.NaN, null});
        profile.update(new Object[] {Double.POSITIVE_INFINITY, 3, "paris"});
        profile.update(new Object[] {2, Double.NEGATIVE_INFINITY, 7});

        assertThat(profile.numeric("age").missing()).isEqualTo(2);
        assertThat(profile.numeric("age").count()).isEqualTo(1);
        assertThat(profile.numeric("age").mean()).isEqualTo(2.0);
        assertThat(profile.numeric("spend").missing()).isEqualTo(2);
        assertThat(profile.categorical("city").missing()).isEqualTo(1);
        assertThat(profile.categorical("city").estimate("7")).isEqualTo(1); // counted by toString
    }

    @Test
    void columnArraysBuildTheSameProfileAsRows() {
        List<Object[]> rows = rows(6, 3_000);
        Profile byColumns = Profile.create(SCHEMA);
        byColumns.updateColumn("age", rows.stream().mapToDouble(r -> r[0] == null ? Double.NaN : (Double) r[0]).toArray());
        byColumns.updateColumn("spend", rows.stream().mapToDouble(r -> (Double) r[1]).toArray());
        byColumns.updateColumn("city", rows.stream().map(r -> (String) r[2]).toArray(String[]::new));

        Profile byRows = profile(rows);

        for (String name : List.of("age", "spend")) {
            assertThat(byColumns.numeric(name).mean()).isEqualTo(byRows.numeric(name).mean());
            assertThat(byColumns.numeric(name).missing()).isEqualTo(byRows.numeric(name).missing());
            // KLL compacts at random, so two sketches of the same values agree within their errors only
            assertThat(byColumns.numeric(name).rank(byRows.numeric(name).quantile(0.5)))
                    .isCloseTo(0.5, within(2 * byRows.numeric(name).rankError()));
        }
        assertThat(byColumns.categorical("city").top(5)).isEqualTo(byRows.categorical("city").top(5));
    }

    @Test
    void badRowsAndNamesAreClearErrors() {
        Profile profile = Profile.create(SCHEMA);

        assertThatThrownBy(() -> profile.update(new Object[] {1.0, 2.0}))
                .isInstanceOfSatisfying(SeerException.class, e -> assertThat(e.errorCode()).isEqualTo(MonitoringErrorCode.INVALID_ARGUMENT))
                .hasMessage("Row has [2] values, the schema [3] columns");
        assertThatThrownBy(() -> profile.update(new Object[] {"old", 2.0, "paris"}))
                .hasMessage("Column [age] is numeric; value [old] is a String");
        assertThatThrownBy(() -> profile.numeric("tenure"))
                .isInstanceOfSatisfying(SeerException.class, e -> assertThat(e.errorCode()).isEqualTo(MonitoringErrorCode.UNKNOWN_NAME))
                .hasMessage("Profile has no column [tenure]");
        assertThatThrownBy(() -> profile.numeric("city"))
                .isInstanceOfSatisfying(SeerException.class, e -> assertThat(e.errorCode()).isEqualTo(MonitoringErrorCode.INCOMPATIBLE));
        assertThatThrownBy(() -> Profile.create(List.of(Profile.Column.numeric("a"), Profile.Column.categorical("a"))))
                .hasMessage("Column [a] appears twice in the schema");
        assertThatThrownBy(() -> new Profile.Settings(200, 100, 12))
                .hasMessage("Frequent-items map size [100] must be a power of two, at least 8");
        assertThatThrownBy(() -> new Profile.Settings(4, 128, 12)).hasMessageContaining("KLL k [4]");
    }

    @Test
    void topItemsAndSharesWithOther() {
        Profile profile = Profile.create(SCHEMA);
        String[] cities = {"paris", "paris", "paris", "lyon", "lyon", "nice", null};
        for (String city : cities) {
            profile.update(new Object[] {1, 1, city});
        }
        CategoricalColumn city = profile.categorical("city");

        assertThat(city.top(2)).extracting(CategoricalColumn.ItemCount::value).containsExactly("paris", "lyon");
        assertThat(city.top(2).get(0).estimate()).isEqualTo(3);
        // shares of the non-missing values: paris 3/6, brest 0, then every other 3/6
        assertThat(city.pmf(List.of("paris", "brest"))).containsExactly(new double[] {0.5, 0, 0.5}, within(1e-15));
        assertThatThrownBy(() -> city.pmf(List.of("paris", "paris"))).hasMessageContaining("must be unique");
    }

    @Test
    void frequentItemsBeyondTheMapAreEstimatesWithinTheirError() {
        Profile profile = Profile.create(List.of(Profile.Column.categorical("id")), new Profile.Settings(200, 16, 12));
        Random random = new Random(9);
        long heavy = 0;
        for (int i = 0; i < 20_000; i++) {
            boolean isHeavy = random.nextInt(4) == 0;
            heavy += isHeavy ? 1 : 0;
            profile.update(new Object[] {isHeavy ? "heavy" : "id" + random.nextInt(5_000)});
        }
        CategoricalColumn id = profile.categorical("id");

        assertThat(id.maximumError()).isPositive();
        assertThat(id.top(1).get(0).value()).isEqualTo("heavy");
        assertThat(Math.abs(id.estimate("heavy") - heavy)).isLessThanOrEqualTo(id.maximumError());
        assertThat(id.distinct()).isCloseTo(5_001, within(5_001 * 3 * 0.0163));
    }

    static double[] values(List<Object[]> rows, String name) {
        int index = name.equals("age") ? 0 : 1;
        return rows.stream().map(r -> r[index]).filter(v -> v != null && Double.isFinite((Double) v))
                .mapToDouble(v -> (Double) v).toArray();
    }

    static String[] values(List<Object[]> rows) {
        return rows.stream().map(r -> (String) r[2]).filter(v -> v != null).toArray(String[]::new);
    }

    private static double twoPassVariance(double[] values) {
        double mean = Arrays.stream(values).average().orElseThrow();
        return Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / values.length;
    }

    private static int upperBound(double[] sorted, double q) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= q) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
