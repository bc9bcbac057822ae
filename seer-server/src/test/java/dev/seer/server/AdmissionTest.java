package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.ErrorCategory;
import dev.seer.core.SeerException;
import dev.seer.serving.ServingErrorCode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AdmissionTest {
    @Test
    void oneCallPastTheLimitIsRefusedAtOnceAndAPermitReturnsWhenACallEnds() throws Exception {
        Admission admission = new Admission(2, "things (x.limit)");
        CountDownLatch inside = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<?>[] held = new CompletableFuture<?>[2];
        for (int i = 0; i < 2; i++) {
            held[i] = CompletableFuture.runAsync(() -> admission.run(() -> {
                inside.countDown();
                await(release);
                return null;
            }));
        }
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> admission.run(() -> "third")).isInstanceOfSatisfying(SeerException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ServingErrorCode.BUSY);
            assertThat(e.category()).isEqualTo(ErrorCategory.BUSY);
            assertThat(e.category().httpStatus()).isEqualTo(429);
            assertThat(e.getMessage()).contains("serving 2 things (x.limit)");
        });
        release.countDown();
        CompletableFuture.allOf(held).get(10, TimeUnit.SECONDS);
        assertThat(admission.run(() -> "after")).isEqualTo("after");
    }

    @Test
    void aFailingCallGivesItsPermitBack() {
        Admission admission = new Admission(1, "things");
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> admission.run(() -> {
                throw new IllegalStateException("boom");
            })).hasMessage("boom");
        }
        assertThat(admission.run(() -> 1)).isEqualTo(1);
        assertThatThrownBy(() -> new Admission(0, "things")).isInstanceOf(IllegalArgumentException.class);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
