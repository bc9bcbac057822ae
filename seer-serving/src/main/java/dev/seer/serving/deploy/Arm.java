package dev.seer.serving.deploy;

import java.util.Locale;

/** Which of a deployment's models made a prediction. A shadow's predictions are logged, never returned. */
public enum Arm {
    CHAMPION, CHALLENGER, SHADOW;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
