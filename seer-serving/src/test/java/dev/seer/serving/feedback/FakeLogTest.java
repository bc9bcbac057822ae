package dev.seer.serving.feedback;

import java.util.List;

/** The tests' fake log keeps the contract the real one must, so tests over it say something about the real one. */
class FakeLogTest extends LoggedPredictionsContract {
    @Override
    protected LoggedPredictions log(List<Made> made) {
        FakeLog log = new FakeLog();
        made.forEach(m -> log.put(m.prediction(), m.entity(), m.shadowOf().orElse(null)));
        return log;
    }
}
