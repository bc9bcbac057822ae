package dev.seer.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/** The roles an API token can have. Every HTTP route names the roles it allows. */
public enum Role {
    ADMIN,
    SCIENTIST,
    OPERATOR,
    AUDITOR;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String text) {
        return Arrays.stream(values())
                .filter(role -> role.id().equalsIgnoreCase(text == null ? "" : text.trim()))
                .findFirst()
                .orElseThrow(() -> new SeerException(CoreErrorCode.INVALID_ARGUMENT,
                        "Unknown role [" + text + "]; roles are admin, scientist, operator, auditor",
                        Map.of("role", String.valueOf(text))));
    }
}
