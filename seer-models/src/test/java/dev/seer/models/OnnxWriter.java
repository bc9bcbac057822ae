package dev.seer.models;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small ONNX models for the tests, as there is no ONNX generator on the build machine: the
 * few messages of onnx.proto a linear model needs, in protobuf's wire encoding, field numbers as
 * the ONNX spec gives them (ModelProto ir_version 1, producer_name 2, graph 7, opset_import 8;
 * GraphProto node 1, name 2, initializer 5, input 11, output 12; NodeProto input 1, output 2,
 * name 3, op_type 4; TensorProto dims 1, data_type 2, float_data 4, name 8; ValueInfoProto name 1,
 * type 2; TypeProto tensor_type 1; TypeProto.Tensor elem_type 1, shape 2; TensorShapeProto dim 1;
 * Dimension dim_value 1, dim_param 2; OperatorSetIdProto domain 1, version 2).
 */
final class OnnxWriter {
    static final int IR_VERSION = 8;
    private static final int OPSET = 13;
    private static final int FLOAT = 1;

    private OnnxWriter() {}

    /** {@code y = x·w + b}, then the logistic function when {@code sigmoid}; x is one tensor [N, F]. */
    static byte[] matrix(float[] weights, float bias, boolean sigmoid, long irVersion) {
        Message graph = new Message().string(2, "linear")
                .message(5, tensor("W", new long[] {weights.length, 1}, weights))
                .message(5, tensor("B", new long[] {1}, new float[] {bias}))
                .message(1, node("matmul", "MatMul", List.of("x", "W"), "xw"))
                .message(1, node("add", "Add", List.of("xw", "B"), sigmoid ? "z" : "y"))
                .message(11, value("x", -1, weights.length))
                .message(12, value("y", -1, 1));
        if (sigmoid) {
            graph.message(1, node("sigmoid", "Sigmoid", List.of("z"), "y"));
        }
        return model(graph, irVersion);
    }

    /** {@code y = sum(x_i * w_i) + b} with one input [N, 1] per name. */
    static byte[] perName(List<String> names, float[] weights, float bias) {
        Message graph = new Message().string(2, "linear-per-name").message(5, tensor("B", new long[] {1}, new float[] {bias}));
        List<String> terms = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            graph.message(5, tensor("w" + i, new long[] {1}, new float[] {weights[i]}))
                    .message(1, node("mul" + i, "Mul", List.of(names.get(i), "w" + i), "t" + i))
                    .message(11, value(names.get(i), -1, 1));
            terms.add("t" + i);
        }
        terms.add("B");
        return model(graph.message(1, node("sum", "Sum", terms, "y")).message(12, value("y", -1, 1)), IR_VERSION);
    }

    private static byte[] model(Message graph, long irVersion) {
        return new Message().varint(1, irVersion).string(2, "seer-test").message(7, graph)
                .message(8, new Message().varint(2, OPSET)).bytes();
    }

    private static Message node(String name, String op, List<String> inputs, String output) {
        Message node = new Message();
        inputs.forEach(i -> node.string(1, i));
        return node.string(2, output).string(3, name).string(4, op);
    }

    private static Message tensor(String name, long[] dims, float[] values) {
        Message tensor = new Message();
        for (long d : dims) {
            tensor.varint(1, d);
        }
        ByteBuffer packed = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            packed.putFloat(v);
        }
        return tensor.varint(2, FLOAT).field(4, packed.array()).string(8, name);
    }

    /** A float tensor [rows, columns]; a negative size is the symbolic dimension N. */
    private static Message value(String name, long rows, long columns) {
        Message shape = new Message().message(1, dimension(rows)).message(1, dimension(columns));
        Message tensorType = new Message().varint(1, FLOAT).message(2, shape);
        return new Message().string(1, name).message(2, new Message().message(1, tensorType));
    }

    private static Message dimension(long size) {
        return size < 0 ? new Message().string(2, "N") : new Message().varint(1, size);
    }

    /** One protobuf message being written: varint (wire type 0) and length-delimited (wire type 2) fields. */
    private static final class Message {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Message varint(int field, long value) {
            raw((long) field << 3);
            raw(value);
            return this;
        }

        Message string(int field, String value) {
            return field(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Message message(int field, Message value) {
            return field(field, value.bytes());
        }

        Message field(int field, byte[] value) {
            raw(((long) field << 3) | 2);
            raw(value.length);
            out.writeBytes(value);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private void raw(long value) {
            long v = value;
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }
    }
}
