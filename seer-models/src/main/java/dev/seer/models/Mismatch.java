package dev.seer.models;

import dev.seer.core.SeerException;
import java.util.List;
import java.util.Map;

/** The refusals of a model file that differs from its declared signature, worded alike for every format. */
final class Mismatch {
    private Mismatch() {}

    static void checkCount(ModelFormat format, long features, Signature declared) {
        if (features != declared.inputs().size()) {
            throw new SeerException(ModelErrorCode.SIGNATURE_MISMATCH, "The " + format.id() + " model takes ["
                    + features + "] features; the signature declares [" + declared.inputs().size() + "] inputs "
                    + declared.names(), Map.of("model_features", features, "signature_inputs", declared.inputs().size()));
        }
    }

    /** Refuses names that differ from the signature's, naming the first position where they differ. */
    static void checkNames(ModelFormat format, List<String> names, Signature declared) {
        checkCount(format, names.size(), declared);
        for (int i = 0; i < names.size(); i++) {
            String declaredName = declared.names().get(i);
            if (!names.get(i).equals(declaredName)) {
                throw new SeerException(ModelErrorCode.SIGNATURE_MISMATCH, "Feature " + (i + 1) + " of the "
                        + format.id() + " model is [" + names.get(i) + "]; the signature's input " + (i + 1) + " is ["
                        + declaredName + "] (the model has " + names + ", the signature " + declared.names() + ")",
                        Map.of("position", i + 1, "model_feature", names.get(i), "signature_input", declaredName));
            }
        }
    }

    static SeerException output(ModelFormat format, String modelOutput, Signature declared) {
        return new SeerException(ModelErrorCode.SIGNATURE_MISMATCH, "The " + format.id() + " model " + modelOutput
                + "; the signature declares output [" + SignatureText.output(declared) + "]",
                Map.of("signature_output", SignatureText.output(declared)));
    }
}
