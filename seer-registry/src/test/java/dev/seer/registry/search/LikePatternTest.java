package dev.seer.registry.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LikePatternTest {
    @Test
    void wildcardsBecomeTheEnginesAndLiteralsStayLiteral() {
        assertThat(LikePattern.toGlob("a%b_c")).isEqualTo("a*b?c");
        assertThat(LikePattern.toLike("a%b_c")).isEqualTo("a%b_c");
    }

    @Test
    void globsOwnWildcardsAreBracketed() {
        assertThat(LikePattern.toGlob("*?[]")).isEqualTo("[*][?][[]]");
        assertThat(LikePattern.toLike("*?[]")).isEqualTo("*?[]");
    }

    @Test
    void aBackslashMakesTheNextCharacterLiteral() {
        assertThat(LikePattern.toGlob("50\\%\\_\\\\x\\*")).isEqualTo("50%_\\x[*]");
        assertThat(LikePattern.toLike("50\\%\\_\\\\x\\y")).isEqualTo("50\\%\\_\\\\xy");
    }

    @Test
    void aTrailingBackslashIsItself() {
        assertThat(LikePattern.toGlob("a\\")).isEqualTo("a\\");
        assertThat(LikePattern.toLike("a\\")).isEqualTo("a\\\\");
    }
}
