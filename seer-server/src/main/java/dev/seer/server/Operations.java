package dev.seer.server;

import java.util.ArrayList;
import java.util.List;

/** Every API operation, area by area: the server builds its routes from this list. */
public final class Operations {
    private Operations() {}

    public static List<Operation<?, ?>> all() {
        List<Operation<?, ?>> all = new ArrayList<>();
        all.addAll(SystemOperations.ALL);
        all.addAll(AuditOperations.ALL);
        all.addAll(TokenOperations.ALL);
        all.addAll(FeatureOperations.ALL);
        all.addAll(IngestOperations.ALL);
        all.addAll(OnlineOperations.ALL);
        all.addAll(StreamOperations.ALL);
        all.addAll(DatasetOperations.ALL);
        all.addAll(TrackingOperations.ALL);
        all.addAll(ModelOperations.ALL);
        all.addAll(OnlineModelOperations.ALL);
        all.addAll(TrainingOperations.ALL);
        all.addAll(ExplainOperations.ALL);
        all.addAll(DeploymentOperations.ALL);
        all.addAll(RetrainOperations.ALL);
        all.addAll(PredictOperations.ALL);
        all.addAll(FeedbackOperations.ALL);
        all.addAll(MonitorOperations.ALL);
        all.addAll(MlflowOperations.ALL);
        return List.copyOf(all);
    }
}
