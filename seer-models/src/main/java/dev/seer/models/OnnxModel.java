package dev.seer.models;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.seer.core.SeerException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An ONNX model run by ONNX Runtime. A model takes its inputs in one of two layouts: one float
 * tensor [N, F] with F the signature's input count (columns in signature order; the tensor's name
 * is free), or one float tensor [N] or [N, 1] per input, named as the signature names them. Its
 * output is its first float tensor output (converters put a label output first and the
 * probabilities after; a ZipMap output of maps is not a tensor and is not read): [N] or [N, 1]
 * for a value or a probability, [N, 2] for a binary classifier's two class probabilities (of
 * which P(class 1) is taken), [N, K] for K class probabilities. Dimensions the model leaves
 * symbolic are checked on the first prediction instead of at load.
 *
 * <p>{@code OrtSession.run} is thread-safe, and each call makes its own tensors, so is this.
 */
final class OnnxModel implements Model {
    /** One feed of the session: {@code count} signature columns from {@code first}, as a rank-1 or rank-2 tensor. */
    private record Feed(String name, int first, int count, int rank) {
        OnnxTensor tensor(OrtEnvironment env, double[][] rows) throws OrtException {
            float[] data = new float[rows.length * count];
            for (int i = 0; i < rows.length; i++) {
                for (int j = 0; j < count; j++) {
                    data[i * count + j] = (float) rows[i][first + j];
                }
            }
            long[] shape = rank == 1 ? new long[] {rows.length} : new long[] {rows.length, count};
            return OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
        }
    }

    private final OrtEnvironment env;
    private final OrtSession session;
    private final Signature signature;
    private final List<Feed> feeds;
    private final String output;

    private OnnxModel(OrtEnvironment env, OrtSession session, Signature signature, List<Feed> feeds, String output) {
        this.env = env;
        this.session = session;
        this.signature = signature;
        this.feeds = feeds;
        this.output = output;
    }

    static Model load(byte[] bytes, Signature declared) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session = open(env, bytes);
        try {
            List<Feed> feeds = feeds(session.getInputInfo(), declared);
            return new OnnxModel(env, session, declared, feeds, output(session.getOutputInfo(), declared));
        } catch (OrtException | RuntimeException e) {
            closeQuietly(session, e);
            throw e instanceof SeerException seer ? seer : invalid("ONNX Runtime could not describe the model: "
                    + e.getMessage(), e);
        }
    }

    private static OrtSession open(OrtEnvironment env, byte[] bytes) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            return env.createSession(bytes, options);
        } catch (OrtException e) {
            throw invalid("ONNX Runtime refused the model: " + e.getMessage(), e);
        }
    }

    private static List<Feed> feeds(Map<String, NodeInfo> inputs, Signature declared) {
        int width = declared.inputs().size();
        if (inputs.size() == 1) {
            NodeInfo only = inputs.values().iterator().next();
            long[] shape = floatTensor(only, "input").getShape();
            if (shape.length == 2 && (width > 1 || !only.getName().equals(declared.names().get(0)))) {
                if (shape[1] >= 0) {
                    Mismatch.checkCount(ModelFormat.ONNX, shape[1], declared);
                }
                return List.of(new Feed(only.getName(), 0, width, 2));
            }
        }
        checkNames(inputs.keySet(), declared);
        List<Feed> feeds = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            NodeInfo input = inputs.get(declared.names().get(i));
            long[] shape = floatTensor(input, "input").getShape();
            if (shape.length < 1 || shape.length > 2 || (shape.length == 2 && shape[1] > 1)) {
                throw mismatch("The onnx model's input [" + input.getName() + "] has shape " + shapeText(shape)
                        + "; an input per signature name is [N] or [N, 1]");
            }
            feeds.add(new Feed(input.getName(), i, 1, shape.length));
        }
        return feeds;
    }

    private static void checkNames(Set<String> names, Signature declared) {
        if (!names.equals(Set.copyOf(declared.names()))) {
            Set<String> missing = new TreeSet<>(declared.names());
            missing.removeAll(names);
            Set<String> extra = new TreeSet<>(names);
            extra.removeAll(declared.names());
            throw mismatch("The onnx model has [" + names.size() + "] inputs " + new TreeSet<>(names)
                    + "; the signature declares [" + declared.inputs().size() + "] inputs " + declared.names()
                    + " (missing from the model: " + missing + ", not in the signature: " + extra
                    + "). An ONNX model takes one float tensor [N, " + declared.inputs().size()
                    + "] or one input per signature name");
        }
    }

    private static String output(Map<String, NodeInfo> outputs, Signature declared) {
        for (NodeInfo output : outputs.values()) {
            if (output.getInfo() instanceof TensorInfo tensor && tensor.type == OnnxJavaType.FLOAT) {
                long[] shape = tensor.getShape();
                if (shape.length < 1 || shape.length > 2) {
                    throw mismatch("The onnx model's output [" + output.getName() + "] has shape " + shapeText(shape)
                            + "; an output is [N] or [N, K]");
                }
                checkWidth(shape.length == 1 ? 1 : shape[1], output.getName(), declared);
                return output.getName();
            }
        }
        throw invalid("The onnx model has no float tensor output; its outputs are " + outputs.values()
                + " (convert a classifier without ZipMap)", null);
    }

    /** Refuses an output width that does not give the declared output; a negative width is symbolic. */
    private static void checkWidth(long width, String name, Signature declared) {
        boolean fits = width < 0 || switch (declared.output()) {
            case PROBABILITY -> width == 1 || width == 2;
            case VALUE -> width == 1;
            case CLASS_PROBABILITIES -> width == declared.classes();
        };
        if (!fits) {
            throw Mismatch.output(ModelFormat.ONNX, "gives [" + width + "] numbers per row in output [" + name + "]",
                    declared);
        }
    }

    private static TensorInfo floatTensor(NodeInfo node, String what) {
        if (node.getInfo() instanceof TensorInfo tensor && tensor.type == OnnxJavaType.FLOAT) {
            return tensor;
        }
        throw mismatch("The onnx model's " + what + " [" + node.getName() + "] is " + node.getInfo()
                + "; Seer feeds float tensors");
    }

    @Override
    public Signature signature() {
        return signature;
    }

    @Override
    public ModelFormat format() {
        return ModelFormat.ONNX;
    }

    @Override
    public double[][] predict(double[][] rows) {
        Rows.check(rows, signature);
        if (rows.length == 0) {
            return new double[0][];
        }
        Map<String, OnnxTensor> tensors = new HashMap<>();
        try {
            for (Feed feed : feeds) {
                tensors.put(feed.name(), feed.tensor(env, rows));
            }
            try (OrtSession.Result result = session.run(tensors, Set.of(output))) {
                return read((OnnxTensor) result.get(0), rows.length);
            }
        } catch (OrtException e) {
            throw new SeerException(ModelErrorCode.RUNTIME_FAILURE, "ONNX Runtime failed to predict [" + rows.length
                    + "] rows: " + e.getMessage(), Map.of("format", ModelFormat.ONNX.id()), e);
        } finally {
            tensors.values().forEach(OnnxTensor::close);
        }
    }

    private double[][] read(OnnxTensor tensor, int rows) {
        long[] shape = tensor.getInfo().getShape();
        int width = shape.length == 1 ? 1 : (int) shape[1];
        if (shape[0] != rows) {
            throw new SeerException(ModelErrorCode.RUNTIME_FAILURE, "The onnx model gave [" + shape[0]
                    + "] predictions for [" + rows + "] rows", Map.of());
        }
        checkWidth(width, output, signature);
        FloatBuffer values = tensor.getFloatBuffer();
        // a binary classifier's [N, 2] holds P(class 0) and P(class 1): the signature's probability is the second
        int from = signature.output() == OutputKind.PROBABILITY && width == 2 ? 1 : 0;
        double[][] predictions = new double[rows][signature.width()];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < signature.width(); j++) {
                predictions[i][j] = values.get(i * width + from + j);
            }
        }
        return predictions;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new SeerException(ModelErrorCode.RUNTIME_FAILURE, "ONNX Runtime failed to release a model: "
                    + e.getMessage(), Map.of(), e);
        }
    }

    private static void closeQuietly(OrtSession session, Exception cause) {
        try {
            session.close();
        } catch (OrtException e) {
            cause.addSuppressed(e);
        }
    }

    private static String shapeText(long[] shape) {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            text.append(i == 0 ? "" : ", ").append(shape[i] < 0 ? "?" : String.valueOf(shape[i]));
        }
        return text.append(']').toString();
    }

    private static SeerException mismatch(String message) {
        return new SeerException(ModelErrorCode.SIGNATURE_MISMATCH, message, Map.of("format", ModelFormat.ONNX.id()));
    }

    private static SeerException invalid(String message, Exception cause) {
        return new SeerException(ModelErrorCode.INVALID_MODEL, message, Map.of("format", ModelFormat.ONNX.id()), cause);
    }
}
