package dev.seer.registry.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import dev.seer.registry.RegistryErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PageTokenTest {
    @Test
    void anOffsetSurvivesTheRoundTrip() {
        for (int offset : new int[] {0, 1, 100, Integer.MAX_VALUE}) {
            assertThat(PageToken.decode(PageToken.encode(offset))).isEqualTo(offset);
        }
    }

    @Test
    void theTokenIsMlflowsBase64Json() {
        assertThat(PageToken.encode(100)).isEqualTo(base64("{\"offset\": 100}"));
        assertThat(PageToken.decode(base64("{\"offset\":7}"))).isEqualTo(7);
    }

    @Test
    void noTokenIsTheFirstPage() {
        assertThat(PageToken.decode(null)).isZero();
        assertThat(PageToken.decode("")).isZero();
    }

    @Test
    void malformedTokensAreRefused() {
        assertRefused("!!not base64!!", "is not one a search returned: it is not base64");
        assertRefused(base64("hello"), "it holds no offset");
        assertRefused(base64("{\"offset\": -3}"), "it holds no offset");
        assertRefused(base64("{\"offset\": 1, \"x\": 2}"), "it holds no offset");
        assertRefused(base64("{\"offset\": 9999999999}"), "its offset is out of range");
        assertThatThrownBy(() -> PageToken.encode(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertRefused(String token, String message) {
        assertThatThrownBy(() -> PageToken.decode(token)).isInstanceOfSatisfying(SeerException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(RegistryErrorCode.INVALID_REQUEST);
            assertThat(e.getMessage()).startsWith("Page token [" + token + "]").endsWith(message);
        });
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
