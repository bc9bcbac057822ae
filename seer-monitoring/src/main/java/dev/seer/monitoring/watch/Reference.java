package dev.seer.monitoring.watch;

import static java.util.Objects.requireNonNull;

import dev.seer.monitoring.profile.Profile;
import java.util.Optional;

/**
 * What a deployment's windows are compared with: its champion's training data.
 *
 * @param id        what the reference was built from, e.g. {@code churn_train:3/train} (a dataset version's split)
 * @param profile   every reference row, sketched
 * @param reservoir a uniform sample of the reference rows, same width as a window's
 * @param labelled  for a binary classifier: held-out rows scored by the champion, with their labels (CBPE's fit)
 */
public record Reference(String id, WatchedColumns columns, Profile profile, Reservoir reservoir,
        Optional<Labelled> labelled) {
    public Reference {
        requireNonNull(id, "id is null");
        requireNonNull(columns, "columns is null");
        requireNonNull(profile, "profile is null");
        requireNonNull(reservoir, "reservoir is null");
        requireNonNull(labelled, "labelled is null");
    }
}
