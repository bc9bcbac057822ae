package dev.seer.explain;

/** What an explanation's numbers are in: what its base value and contributions add up to. */
public enum Scale {
    /** The model's raw score before its link: log-odds for a binary classifier, per-class scores for softmax. */
    MARGIN("margin"),
    /** A probability: P(class 1), or one class's probability. */
    PROBABILITY("probability"),
    /** A regression's predicted value. */
    VALUE("value");

    private final String id;

    Scale(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
