package dev.seer.server;

import dev.seer.datasets.DatasetManifest;
import dev.seer.datasets.DatasetRef;
import dev.seer.datasets.DatasetStore;
import dev.seer.datasets.DatasetVersion;
import dev.seer.training.data.DatasetSource;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Training's port to the dataset store: a version's recorded facts and its split files, each hash-checked. */
final class TrainingDatasets implements DatasetSource {
    private final DatasetStore datasets;

    TrainingDatasets(DatasetStore datasets) {
        this.datasets = datasets;
    }

    @Override
    public Snapshot open(String ref) {
        String text = ref.endsWith(":latest") ? ref.substring(0, ref.length() - ":latest".length()) : ref;
        DatasetVersion version = datasets.get(DatasetRef.parse(text));
        DatasetManifest manifest = version.manifest();
        Map<String, Path> splits = new LinkedHashMap<>();
        manifest.splits().ifPresent(s -> s.parts().keySet().forEach(split -> splits.put(split,
                datasets.file(version, Optional.of(split)))));
        List<Column> columns = manifest.schema().stream().map(c -> new Column(c.name(), c.type())).toList();
        return new Snapshot(version.toString(), version.contentHash(), manifest.label(), manifest.key(), columns, splits);
    }
}
