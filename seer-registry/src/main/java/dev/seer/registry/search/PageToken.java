package dev.seer.registry.search;

import dev.seer.core.SeerException;
import dev.seer.registry.RegistryErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The opaque page token of a search: base64 of {@code {"offset": N}}, MLflow's own format, so a
 * token either server issued reads the same. Clients must not build tokens; a token that is not
 * one is refused rather than read as the first page.
 */
public final class PageToken {
    private static final Pattern OFFSET = Pattern.compile("\\{\\s*\"offset\"\\s*:\\s*(\\d{1,10})\\s*}");

    private PageToken() {}

    public static String encode(int offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset [" + offset + "] is negative");
        }
        return Base64.getEncoder().encodeToString(("{\"offset\": " + offset + "}").getBytes(StandardCharsets.UTF_8));
    }

    /** The offset {@code token} stands for; null or empty is the first page. */
    public static int decode(String token) {
        if (token == null || token.isEmpty()) {
            return 0;
        }
        String json;
        try {
            json = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid(token, "it is not base64");
        }
        Matcher matcher = OFFSET.matcher(json);
        if (!matcher.matches()) {
            throw invalid(token, "it holds no offset");
        }
        long offset = Long.parseLong(matcher.group(1));
        if (offset > Integer.MAX_VALUE) {
            throw invalid(token, "its offset is out of range");
        }
        return (int) offset;
    }

    private static SeerException invalid(String token, String why) {
        String shown = token.length() <= 60 ? token : token.substring(0, 60) + "...";
        return new SeerException(RegistryErrorCode.INVALID_REQUEST,
                "Page token [" + shown + "] is not one a search returned: " + why, Map.of("page_token", shown));
    }
}
