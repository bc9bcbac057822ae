package dev.seer.metadata;

/** A token just created: the only moment its secret is known. */
public record IssuedToken(ApiToken token, String secret) {
    @Override
    public String toString() {
        return "IssuedToken[" + token + ", secret=***]";
    }
}
