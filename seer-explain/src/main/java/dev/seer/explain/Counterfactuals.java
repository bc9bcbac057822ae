package dev.seer.explain;

import dev.seer.core.SeerException;
import dev.seer.models.TreeEnsemble;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Counterfactual explanations: the nearest changes to a row, within declared constraints, that
 * bring the model's output past a goal (flip a decision, or reach a score), several and diverse on
 * request. After DiCE (Mothilal et al. 2020, FAT*) in what is asked: proximity measured as the L1
 * distance scaled per feature by its median absolute deviation in a reference sample (Wachter et
 * al. 2017), sparsity (few features changed), diversity (different features changed); but found
 * by a deterministic search rather than DiCE's gradient or genetic methods, since Seer's models
 * are trees whose outputs move only at split thresholds.
 *
 * <p>Search: each mutable feature gets candidate values (the reference sample's percentiles and,
 * for trees, each split threshold and the float just below it, where the output can change),
 * filtered by the constraints (range, direction, step) and scored by distance. A beam search adds
 * one feature change at a time (the beam keeps the states closest to the goal per unit of
 * distance), evaluating each level's states in one batch, until enough solutions are found or
 * the evaluation budget is spent. Solutions are returned nearest first; a solution whose changes
 * include another solution's is dropped (it is not minimal), and later solutions must change a
 * different set of features than the ones kept. Finding none is an answer, with the count of
 * rows evaluated.
 */
public final class Counterfactuals {
    /** The beam's width: states kept per level. */
    static final int BEAM = 24;
    /** Percentiles of the reference sample used as candidate values. */
    static final int PERCENTILES = 41;
    /** Solutions refined per one wanted: refining moves them closer, so more than the nearest few are tried. */
    static final int REFINED_PER_WANTED = 4;
    /** Bisection steps toward the row's value: 2^-30 of the overshoot is below any feature's resolution. */
    static final int BISECTIONS = 30;
    /** The most features one counterfactual changes: more is rarely actionable, and the search grows with it. */
    static final int MAX_CHANGES = 3;

    private Counterfactuals() {}

    /** What a feature may do: stay, move within a range, in steps, in one direction. */
    public record Constraint(boolean immutable, double min, double max, double step, Direction direction) {
        public static final Constraint FREE = new Constraint(false, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 0,
                Direction.ANY);
    }

    public enum Direction { ANY, INCREASE, DECREASE }

    /** Where the output must get: {@code output}'s value at least (or at most) {@code threshold}. */
    public record Goal(int output, double threshold, boolean atLeast) {
        boolean reached(double[] prediction) {
            double v = prediction[output];
            return atLeast ? v >= threshold : v <= threshold;
        }

        /** How far from the goal, 0 when reached. */
        double gap(double[] prediction) {
            double v = prediction[output];
            return Math.max(0, atLeast ? threshold - v : v - threshold);
        }
    }

    /** One counterfactual: the changed row, the changes by feature (from, to), its output, its distance. */
    public record Counterfactual(double[] row, Map<String, double[]> changes, double[] prediction, double distance) {
        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Counterfactual c) || !Arrays.equals(row, c.row) || !Arrays.equals(prediction, c.prediction)
                    || Double.compare(distance, c.distance) != 0 || !changes.keySet().equals(c.changes.keySet())) {
                return false;
            }
            return changes.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), c.changes.get(e.getKey())));
        }

        @Override
        public int hashCode() {
            return (Arrays.hashCode(row) * 31 + changes.keySet().hashCode()) * 31 + Double.hashCode(distance);
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder("Counterfactual[distance " + distance + ", prediction "
                    + Arrays.toString(prediction) + ",");
            changes.forEach((f, v) -> text.append(' ').append(f).append(' ').append(v[0]).append("->").append(v[1]));
            return text.append(']').toString();
        }
    }

    /**
     * The answer: the counterfactuals found (maybe none) and the rows evaluated to find them (the
     * row itself included), never more than the budget; {@code rowReachesGoal}: the row as given
     * already reaches the goal, so no change is needed (and none is offered).
     */
    public record Result(List<Counterfactual> found, int evaluated, boolean budgetSpent, boolean rowReachesGoal) {
        public boolean none() {
            return found.isEmpty();
        }
    }

    /** Split thresholds of a tree ensemble per feature: where its output can change. */
    public static Map<Integer, double[]> thresholds(TreeEnsemble ensemble) {
        Map<Integer, TreeSet<Double>> byFeature = new LinkedHashMap<>();
        for (TreeEnsemble.Tree tree : ensemble.trees()) {
            for (int n = 0; n < tree.nodes(); n++) {
                if (!tree.isLeaf(n)) {
                    byFeature.computeIfAbsent(tree.feature(n), f -> new TreeSet<>()).add((double) tree.threshold(n));
                }
            }
        }
        Map<Integer, double[]> out = new LinkedHashMap<>();
        byFeature.forEach((f, set) -> out.put(f, set.stream().mapToDouble(Double::doubleValue).toArray()));
        return out;
    }

    /**
     * @param reference rows of the training data (scales and candidate values), in the model's feature order
     * @param thresholds per feature index, values where the model's output changes (trees), or empty
     * @param wanted how many diverse counterfactuals to return
     * @param budget the most rows to evaluate
     */
    public static Result search(Predictor model, List<String> names, double[] row, Goal goal, Map<String, Constraint> constraints,
            double[][] reference, Map<Integer, double[]> thresholds, int wanted, int budget) {
        Rows.check(row, names);
        Constraint[] rules = rules(names, row, constraints);
        check(goal, wanted, budget, reference, names);
        double[] scale = scales(reference, names.size());
        List<List<Change>> options = new ArrayList<>();
        for (int f = 0; f < names.size(); f++) {
            options.add(candidates(f, row[f], rules[f], reference, thresholds.getOrDefault(f, new double[0]), scale[f]));
        }
        return new Search(model, names, row, goal, options, wanted, budget, scale, rules).run();
    }

    /** One feature set to one value, and what that costs in distance. */
    record Change(int feature, double value, double cost) {}

    private static List<Change> candidates(int f, double current, Constraint rule, double[][] reference, double[] thresholds,
            double scale) {
        if (rule.immutable()) {
            return List.of();
        }
        TreeSet<Double> values = new TreeSet<>();
        double[] column = Arrays.stream(reference).mapToDouble(r -> r[f]).filter(v -> !Double.isNaN(v)).sorted().toArray();
        for (int p = 0; p < PERCENTILES && column.length > 0; p++) {
            values.add(column[(int) Math.round((column.length - 1) * p / (double) (PERCENTILES - 1))]);
        }
        for (double t : thresholds) {
            values.add(t);
            values.add((double) Math.nextDown((float) t));
        }
        values.add(rule.min());
        values.add(rule.max());
        List<Change> out = new ArrayList<>();
        for (double raw : values) {
            double v = rule.step() > 0 ? Math.round(raw / rule.step()) * rule.step() : raw;
            boolean allowed = Double.isFinite(v) && v >= rule.min() && v <= rule.max() && v != current
                    && (rule.direction() != Direction.INCREASE || Double.isNaN(current) || v > current)
                    && (rule.direction() != Direction.DECREASE || Double.isNaN(current) || v < current);
            if (allowed) {
                double cost = Double.isNaN(current) ? 1 : Math.abs(v - current) / scale;
                out.add(new Change(f, v, cost));
            }
        }
        return out.stream().distinct().toList();
    }

    /** Median absolute deviation per feature (1 when it is 0 or the column is empty, so a feature is never free). */
    private static double[] scales(double[][] reference, int width) {
        double[] scale = new double[width];
        for (int f = 0; f < width; f++) {
            int feature = f;
            double[] column = Arrays.stream(reference).mapToDouble(r -> r[feature]).filter(v -> !Double.isNaN(v)).sorted()
                    .toArray();
            double mad = 0;
            if (column.length > 0) {
                double median = column[column.length / 2];
                double[] deviations = Arrays.stream(column).map(v -> Math.abs(v - median)).sorted().toArray();
                mad = deviations[deviations.length / 2];
            }
            scale[f] = mad > 0 ? mad : 1;
        }
        return scale;
    }

    private static Constraint[] rules(List<String> names, double[] row, Map<String, Constraint> constraints) {
        Constraint[] rules = new Constraint[names.size()];
        Arrays.fill(rules, Constraint.FREE);
        for (Map.Entry<String, Constraint> e : constraints.entrySet()) {
            int f = names.indexOf(e.getKey());
            if (f < 0) {
                throw invalid(e.getKey(), "Constraint on feature [" + e.getKey() + "], which the model does not take: " + names);
            }
            Constraint c = e.getValue();
            if (Double.isNaN(c.min()) || Double.isNaN(c.max())) {
                throw invalid(e.getKey(), "Feature [" + e.getKey() + "] has a min or max that is not a number");
            }
            if (c.min() > c.max()) {
                throw invalid(e.getKey(), "Feature [" + e.getKey() + "] has min [" + c.min() + "] above max [" + c.max() + "]");
            }
            if (c.step() < 0 || Double.isNaN(c.step())) {
                throw invalid(e.getKey(), "Feature [" + e.getKey() + "] has step [" + c.step() + "]; it must be >= 0");
            }
            if (c.immutable() && (c.direction() != Direction.ANY || Double.isFinite(c.min()) || Double.isFinite(c.max()))) {
                throw invalid(e.getKey(), "Feature [" + e.getKey() + "] is immutable and also given a range or direction");
            }
            rules[f] = c;
        }
        return rules;
    }

    private static void check(Goal goal, int wanted, int budget, double[][] reference, List<String> names) {
        if (wanted < 1 || budget < 1) {
            throw invalid("wanted", "Ask for at least one counterfactual within a budget of at least one row; got wanted ["
                    + wanted + "], budget [" + budget + "]");
        }
        if (goal.output() < 0 || !Double.isFinite(goal.threshold())) {
            throw invalid("goal", "The goal needs an output of the model and a finite threshold; got " + goal);
        }
        for (int r = 0; r < reference.length; r++) {
            if (reference[r].length != names.size()) {
                throw invalid("reference", "Reference row [" + r + "] has [" + reference[r].length + "] values; the model"
                        + " takes [" + names.size() + "]");
            }
        }
    }

    static SeerException invalid(String field, String message) {
        return new SeerException(ExplainErrorCode.INVALID_ARGUMENT, message, Map.of("field", field));
    }

    /** The beam search over sets of changes. */
    private static final class Search {
        private final Predictor model;
        private final List<String> names;
        private final double[] row;
        private final Goal goal;
        private final List<List<Change>> options;
        private final int wanted;
        private final int budget;
        private final double[] scale;
        private final Constraint[] rules;
        private final List<Counterfactual> found = new ArrayList<>();
        private final Set<Set<Integer>> usedFeatureSets = new HashSet<>();
        private int evaluated;

        Search(Predictor model, List<String> names, double[] row, Goal goal, List<List<Change>> options, int wanted,
                int budget, double[] scale, Constraint[] rules) {
            this.scale = scale;
            this.rules = rules;
            this.model = model;
            this.names = names;
            this.row = row;
            this.goal = goal;
            this.options = options;
            this.wanted = wanted;
            this.budget = budget;
        }

        /** A partial counterfactual: the changes so far (by feature), their distance, its gap to the goal. */
        private record State(Map<Integer, Change> changes, double distance, double gap) {}

        /** Whether the budget cut the search short. */
        private boolean spent;

        Result run() {
            double[] own = model.predict(new double[][] {row.clone()})[0];
            evaluated = 1;
            if (goal.output() >= own.length) {
                throw invalid("goal", "The goal is on output [" + goal.output() + "]; the model has [" + own.length
                        + "] outputs");
            }
            if (goal.reached(own)) {
                return new Result(List.of(), evaluated, false, true);
            }
            List<State> beam = List.of(new State(Map.of(), 0, Double.POSITIVE_INFINITY));
            for (int level = 1; level <= Math.min(MAX_CHANGES, names.size()) && !beam.isEmpty() && !spent; level++) {
                if (evaluated >= budget) {
                    spent = true;
                    break;
                }
                beam = evaluate(expand(beam, bound(), budget - evaluated));
            }
            found.sort(Comparator.comparingDouble(Counterfactual::distance));
            spent |= evaluated >= budget;
            return new Result(List.copyOf(found.subList(0, Math.min(wanted, found.size()))), evaluated, spent, false);
        }

        /** Once enough solutions are found, a state at least as far as the farthest kept one cannot improve the answer. */
        private double bound() {
            if (found.size() < wanted) {
                return Double.POSITIVE_INFINITY;
            }
            return found.stream().mapToDouble(Counterfactual::distance).sorted().skip(wanted - 1).findFirst().orElseThrow();
        }

        /**
         * The next level's states: each beam state with one more change, at most {@code room} of
         * them (the nearest, kept in a heap as they are built, so a level's work is bounded by
         * the budget left, not by features × candidates), in the order they were built.
         */
        private List<State> expand(List<State> beam, double bound, int room) {
            Set<Map<Integer, Change>> seen = new HashSet<>();
            // farthest (then latest built) on top: the first to go when the heap is over room
            java.util.PriorityQueue<Built> nearest = new java.util.PriorityQueue<>(Comparator
                    .comparingDouble((Built b) -> b.state().distance()).thenComparingInt(Built::order).reversed());
            int order = 0;
            for (State state : beam) {
                for (List<Change> feature : options) {
                    for (Change change : feature) {
                        double distance = state.distance() + change.cost();
                        if (state.changes().containsKey(change.feature()) || distance >= bound) {
                            continue;
                        }
                        if (nearest.size() >= room && distance >= nearest.peek().state().distance()) {
                            spent = true;
                            continue;
                        }
                        Map<Integer, Change> changes = new java.util.TreeMap<>(state.changes());
                        changes.put(change.feature(), change);
                        if (seen.add(changes) && !containsSolution(changes)) {
                            nearest.add(new Built(new State(changes, distance, Double.NaN), order++));
                            if (nearest.size() > room) {
                                nearest.poll();
                                spent = true;
                            }
                        }
                    }
                }
            }
            return nearest.stream().sorted(Comparator.comparingInt(Built::order)).map(Built::state).toList();
        }

        private record Built(State state, int order) {}

        /** States that reached the goal become solutions; the rest, closest to it per unit of distance, form the next beam. */
        private List<State> evaluate(List<State> states) {
            if (states.isEmpty()) {
                return List.of();
            }
            double[][] rows = states.stream().map(this::apply).toArray(double[][]::new);
            double[][] predictions = model.predict(rows);
            evaluated += rows.length;
            List<State> open = new ArrayList<>();
            List<Integer> reached = new ArrayList<>();
            for (int i = 0; i < states.size(); i++) {
                if (goal.reached(predictions[i])) {
                    reached.add(i);
                } else {
                    State s = states.get(i);
                    open.add(new State(s.changes(), s.distance(), goal.gap(predictions[i])));
                }
            }
            reached.sort(Comparator.comparingDouble(i -> states.get(i).distance()));
            for (int i : reached.subList(0, Math.min(reached.size(), REFINED_PER_WANTED * wanted))) {
                accept(refine(states.get(i), predictions[i]));
            }
            open.sort(Comparator.comparingDouble((State s) -> s.gap() * (1 + s.distance())));
            return open.subList(0, Math.min(BEAM, open.size()));
        }

        /**
         * Moves each changed feature back toward the row's value as far as the goal still holds,
         * by bisection (on the step's grid when there is one): a candidate value overshoots the
         * boundary by up to a percentile's width. When the row's own value is outside the
         * feature's range, the move stops at the nearest allowed value, tried first. Stops when
         * the budget is spent; the state's prediction is the last one that reached the goal.
         */
        private Refined refine(State state, double[] reachedWith) {
            Map<Integer, Change> changes = new java.util.TreeMap<>(state.changes());
            double[] prediction = reachedWith;
            for (int f : List.copyOf(changes.keySet())) {
                double from = row[f];
                if (Double.isNaN(from)) {
                    continue;
                }
                double step = rules[f].step();
                double near = nearestAllowed(f, from);
                double far = changes.get(f).value();
                if (near != from && near != far && evaluated < budget) {
                    double[] atNear = predict(changes, f, near);
                    if (goal.reached(atNear)) {
                        far = near;
                        prediction = atNear;
                    }
                }
                for (int i = 0; i < BISECTIONS && evaluated < budget && Math.abs(far - near) > Math.max(step, 1e-9
                        * Math.abs(far)); i++) {
                    double middle = step > 0 ? Math.round((near + far) / 2 / step) * step : (near + far) / 2;
                    if (middle == near || middle == far) {
                        break;
                    }
                    double[] atMiddle = predict(changes, f, middle);
                    if (goal.reached(atMiddle)) {
                        far = middle;
                        prediction = atMiddle;
                    } else {
                        near = middle;
                    }
                }
                changes.put(f, new Change(f, far, Math.abs(far - from) / scale[f]));
            }
            double distance = changes.values().stream().mapToDouble(Change::cost).sum();
            return new Refined(new State(changes, distance, 0), prediction);
        }

        private record Refined(State state, double[] prediction) {}

        /** The prediction with feature {@code f} set to {@code value} (the other changes as they are). */
        private double[] predict(Map<Integer, Change> changes, int f, double value) {
            changes.put(f, new Change(f, value, 0));
            evaluated++;
            return model.predict(new double[][] {apply(changes)})[0];
        }

        /** The allowed value nearest the row's {@code from}: itself inside the range, else the bound on the step's grid. */
        private double nearestAllowed(int f, double from) {
            Constraint rule = rules[f];
            double step = rule.step();
            if (from < rule.min()) {
                return step > 0 ? Math.ceil(rule.min() / step) * step : rule.min();
            }
            if (from > rule.max()) {
                return step > 0 ? Math.floor(rule.max() / step) * step : rule.max();
            }
            return from;
        }

        private void accept(Refined refined) {
            State state = refined.state();
            Set<Integer> features = new TreeSet<>(state.changes().keySet());
            if (containsSolution(state.changes()) || !usedFeatureSets.add(features)) {
                return;
            }
            Map<String, double[]> changes = new LinkedHashMap<>();
            state.changes().values().forEach(c -> changes.put(names.get(c.feature()), new double[] {row[c.feature()], c.value()}));
            found.add(new Counterfactual(apply(state.changes()), changes, refined.prediction(), state.distance()));
        }

        /** Whether some solution's changes are all among {@code changes} (then these are not minimal). */
        private boolean containsSolution(Map<Integer, Change> changes) {
            for (Counterfactual c : found) {
                boolean all = true;
                for (Map.Entry<String, double[]> e : c.changes().entrySet()) {
                    Change mine = changes.get(names.indexOf(e.getKey()));
                    if (mine == null || mine.value() != e.getValue()[1]) {
                        all = false;
                        break;
                    }
                }
                if (all) {
                    return true;
                }
            }
            return false;
        }

        private double[] apply(State state) {
            return apply(state.changes());
        }

        private double[] apply(Map<Integer, Change> changes) {
            double[] changed = row.clone();
            changes.values().forEach(c -> changed[c.feature()] = c.value());
            return changed;
        }
    }
}
