package dev.seer.training.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.seer.core.SeerException;
import dev.seer.training.TrainingErrorCode;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Asserts that a call is refused as INVALID_ARGUMENT naming the argument. */
final class Refusals {
    private Refusals() {}

    static void assertRefused(ThrowingCallable call, String argument) {
        SeerException error = catchThrowableOfType(call, SeerException.class);
        assertThat(error).as("refused because of [%s]", argument).isNotNull();
        assertThat(error.errorCode()).isEqualTo(TrainingErrorCode.INVALID_ARGUMENT);
        assertThat(error.getMessage()).contains("[" + argument + "]");
        assertThat(error.details()).containsEntry("argument", argument);
    }
}
