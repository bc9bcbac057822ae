package dev.seer.monitoring.watch;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.monitoring.MonitoringErrorCode;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * When and how a deployment is retrained (issue 18's retraining loop): on the FIRING transition of
 * one of {@code triggers} (alert rule ids, or {@value #ANY} for any rule on the deployment's
 * figures) and/or every {@code every}; from the answered, labelled predictions of the last
 * {@code lookback}; at least {@code minRows} of them; at most one run per {@code cooldown}. The
 * new version is then deployed as the challenger at {@code challengerPercent} (the deployment's
 * champion-challenger experiment decides), or promoted through the gate; a version the gate did
 * not pass is never deployed either way.
 */
public record RetrainPolicy(String deployment, Set<String> triggers, Optional<Duration> every, Duration lookback,
        Action action, int challengerPercent, int minRows, Duration cooldown) {
    /** A trigger that matches every alert rule on the deployment's figures. */
    public static final String ANY = "*";
    public static final Duration DEFAULT_LOOKBACK = Duration.ofDays(7);
    public static final int DEFAULT_CHALLENGER_PERCENT = 10;
    public static final int DEFAULT_MIN_ROWS = 1000;
    public static final Duration DEFAULT_COOLDOWN = Duration.ofDays(1);

    /** Deployment names as DeploymentStore allows them. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
    /** Alert rule ids as AlertRule allows them (no comma: the store joins them with commas). */
    private static final Pattern RULE = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    /** What a version that passed the gate becomes. */
    public enum Action {
        /** The deployment's challenger, at the policy's percent. */
        CHALLENGER,
        /** The model's champion (through the gate) and the deployment's champion. */
        PROMOTE;

        public static Action parse(String text, String field) {
            try {
                return valueOf(text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw invalid(field, "must be challenger or promote, not [" + text + "]");
            }
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public RetrainPolicy {
        requireNonNull(deployment, "deployment is null");
        if (!NAME.matcher(deployment).matches()) {
            throw invalid("deployment", "must be a deployment name ([a-z][a-z0-9_-]), not [" + deployment + "]");
        }
        // sorted, so a policy reads and prints the same however its triggers were given
        triggers = Collections.unmodifiableSortedSet(new TreeSet<>(requireNonNull(triggers, "triggers is null")));
        for (String t : triggers) {
            if (!t.equals(ANY) && !RULE.matcher(t).matches()) {
                throw invalid("on", "must be alert rule ids or " + ANY + ", not [" + t + "]");
            }
        }
        requireNonNull(every, "every is null");
        requireNonNull(lookback, "lookback is null");
        requireNonNull(action, "action is null");
        requireNonNull(cooldown, "cooldown is null");
        if (triggers.isEmpty() && every.isEmpty()) {
            throw invalid("on", "or [every] must be given: a policy needs an alert rule or a schedule");
        }
        if (every.isPresent() && (every.get().isNegative() || every.get().toSeconds() < 1)) {
            throw invalid("every", "must be at least one second, not [" + every.get() + "]");
        }
        if (lookback.toSeconds() < 1) {
            throw invalid("lookback", "must be at least one second, not [" + lookback + "]");
        }
        if (cooldown.isNegative()) {
            throw invalid("cooldown", "must not be negative, not [" + cooldown + "]");
        }
        if (challengerPercent < 1 || challengerPercent > 99) {
            throw invalid("challenger_percent", "must be 1 to 99, not [" + challengerPercent + "]");
        }
        if (minRows < 1) {
            throw invalid("min_rows", "must be at least 1, not [" + minRows + "]");
        }
    }

    /** A policy with the defaults: a week's data, a challenger at 10%, 1000 rows, a day between runs. */
    public static RetrainPolicy of(String deployment, Set<String> triggers, Optional<Duration> every, Action action) {
        return new RetrainPolicy(deployment, triggers, every, DEFAULT_LOOKBACK, action, DEFAULT_CHALLENGER_PERCENT,
                DEFAULT_MIN_ROWS, DEFAULT_COOLDOWN);
    }

    /** Whether a rule's transition to FIRING on {@code figure} should retrain this policy's deployment. */
    public boolean triggeredBy(String ruleId, String figure) {
        return triggers.contains(ruleId) || triggers.contains(ANY) && figure.startsWith(deployment + "/");
    }

    static SeerException invalid(String field, String message) {
        return new SeerException(MonitoringErrorCode.INVALID_ARGUMENT, "Retraining policy field [" + field + "] " + message,
                Map.of("field", field));
    }
}
