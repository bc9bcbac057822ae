package dev.seer.models;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.core.provenance.Codec;
import dev.seer.core.schema.Column;
import dev.seer.core.schema.ColumnType;
import dev.seer.core.schema.Schema;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a model takes and gives: its inputs, in the order a row holds them, and its output.
 *
 * <p>Inputs are numbers: {@code float32}, {@code float64}, {@code int32}, {@code int64} and
 * {@code boolean} (as 0 and 1). Strings and timestamps are refused, since every model runtime
 * here takes a matrix of floats: encode them into numbers before the model. Any input may be
 * missing in a row (NaN), so every column of {@link #inputs()} is nullable; a non-null column given
 * is taken as nullable. A name holds no {@code ,}, {@code :} or {@code ->} and no spaces at its
 * ends, so that the text form reads back every signature.
 *
 * <p>{@code classes} is the class count of a {@link OutputKind#CLASS_PROBABILITIES} output (at
 * least 2) and 0 for the other kinds. The one stored form is {@link #CODEC}'s; {@link #parse} and
 * {@link #toString} read and write the compact text form of a CLI option:
 * {@code age:float64,income:float64,plan:int64->probability}, or
 * {@code ...->class-probabilities(3)}.
 */
public record Signature(Schema inputs, OutputKind output, int classes) {
    /** The one JSON form of a signature. */
    public static final Codec<Signature> CODEC = new SignatureCodec();

    static final Set<ColumnType> INPUT_TYPES = EnumSet.of(ColumnType.BOOLEAN, ColumnType.INT32, ColumnType.INT64,
            ColumnType.FLOAT32, ColumnType.FLOAT64);

    public Signature {
        requireNonNull(inputs, "inputs is null");
        requireNonNull(output, "output is null");
        if (inputs.isEmpty()) {
            throw invalid("A model signature needs at least one input");
        }
        inputs.forEach(Signature::checkInput);
        inputs = Schema.of(inputs.columns().stream().map(c -> new Column(c.name(), c.type(), true)).toList());
        if (output == OutputKind.CLASS_PROBABILITIES && classes < 2) {
            throw invalid("Output [" + output.id() + "] needs a class count of at least 2, not [" + classes + "]");
        }
        if (output != OutputKind.CLASS_PROBABILITIES && classes != 0) {
            throw invalid("Output [" + output.id() + "] has no class count; [" + classes + "] was given");
        }
    }

    /** A {@link OutputKind#PROBABILITY} or {@link OutputKind#VALUE} signature. */
    public static Signature of(Schema inputs, OutputKind output) {
        return new Signature(inputs, output, 0);
    }

    /** A {@link OutputKind#CLASS_PROBABILITIES} signature of {@code classes} classes. */
    public static Signature classProbabilities(Schema inputs, int classes) {
        return new Signature(inputs, OutputKind.CLASS_PROBABILITIES, classes);
    }

    /** Reads the text form, {@code age:float64,plan:int64->probability}; errors name the position and input. */
    public static Signature parse(String text) {
        return SignatureText.parse(text);
    }

    public List<String> names() {
        return inputs.names();
    }

    /** How many numbers the model gives per row: the class count, or 1. */
    public int width() {
        return output == OutputKind.CLASS_PROBABILITIES ? classes : 1;
    }

    /** The text form, read back by {@link #parse}. */
    @Override
    public String toString() {
        return SignatureText.format(this);
    }

    private static void checkInput(Column column) {
        String name = column.name();
        if (name.contains(",") || name.contains(":") || name.contains("->") || !name.equals(name.strip())) {
            throw new SeerException(ModelErrorCode.INVALID_SIGNATURE, "Input name [" + name + "] has a comma, a colon, "
                    + "an arrow or spaces at an end; a signature's text form could not read it back",
                    Map.of("input", name));
        }
        if (!INPUT_TYPES.contains(column.type())) {
            throw new SeerException(ModelErrorCode.INVALID_SIGNATURE, "Input [" + column.name() + "] has type ["
                    + column.type().id() + "]; a model input is one of " + typeIds()
                    + ": encode other values as numbers before the model", Map.of("input", column.name()));
        }
    }

    static List<String> typeIds() {
        return INPUT_TYPES.stream().map(ColumnType::id).toList();
    }

    private static SeerException invalid(String message) {
        return new SeerException(ModelErrorCode.INVALID_SIGNATURE, message, Map.of());
    }
}
