package dev.seer.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.schema.Column;
import dev.seer.core.schema.ColumnType;
import dev.seer.core.schema.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignatureTest {
    @ParameterizedTest
    @ValueSource(strings = {"age:float64,income:float64,plan:int64->probability", "x:float32->value",
            "a:int32,b:boolean->class-probabilities(3)"})
    void theTextFormReadsBackAsWritten(String text) {
        Signature signature = Signature.parse(text);

        assertThat(signature.toString()).isEqualTo(text);
        assertThat(Signature.parse(signature.toString())).isEqualTo(signature);
    }

    @Test
    void theTextFormGivesInputsInOrderWithTheirTypesAndTheOutput() {
        Signature signature = Signature.parse(" age : float64 , plan:int64 -> class-probabilities(4) ");

        assertThat(signature.names()).containsExactly("age", "plan");
        assertThat(signature.inputs().column("plan").type()).isEqualTo(ColumnType.INT64);
        assertThat(signature.output()).isEqualTo(OutputKind.CLASS_PROBABILITIES);
        assertThat(signature.classes()).isEqualTo(4);
        assertThat(signature.width()).isEqualTo(4);
        assertThat(Signature.parse("a:float64->probability").width()).isEqualTo(1);
    }

    @Test
    void theCodecReadsBackWhatItWrites() {
        for (String text : new String[] {"age:float64,plan:int64->probability", "a:boolean->class-probabilities(5)",
                "y:float32,z:int32->value"}) {
            Signature signature = Signature.parse(text);
            ObjectNode json = Signature.CODEC.encode(signature);

            assertThat(json.get("format").asInt()).isEqualTo(1);
            assertThat(Signature.CODEC.decode(Json.parse(json.toString()))).isEqualTo(signature);
        }
        assertThat(Signature.CODEC.encode(Signature.parse("a:float64->class-probabilities(5)")).get("classes").asInt())
                .isEqualTo(5);
    }

    @Test
    void theCodecRefusesANewerFormatNamingTheKind() {
        ObjectNode json = Signature.CODEC.encode(Signature.parse("a:float64->value")).put("format", 2);

        assertThatThrownBy(() -> Signature.CODEC.decode(json))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(CoreErrorCode.UNSUPPORTED_FORMAT))
                .hasMessageContaining("model signature formats 1 to 1, not [2]");
    }

    @Test
    void inputsAreNullableWhateverTheColumnsGiven() {
        Signature signature = Signature.of(Schema.of(new Column("a", ColumnType.FLOAT64, false)), OutputKind.VALUE);

        assertThat(signature.inputs().column("a").nullable()).isTrue();
        assertThat(signature).isEqualTo(Signature.parse("a:float64->value"));
    }

    @Test
    void aDuplicateInputIsRefusedNamingBothPositions() {
        assertThatThrownBy(() -> Signature.parse("age:float64,plan:int64,age:int32->value"))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ModelErrorCode.INVALID_SIGNATURE))
                .hasMessageContaining("names input [age] twice: inputs 1 and 3 (character 24)");
    }

    @Test
    void anUnknownOrNonNumericTypeIsRefusedNamingTheInputAndItsPosition() {
        assertThatThrownBy(() -> Signature.parse("age:float64,plan:text->value"))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ModelErrorCode.INVALID_SIGNATURE))
                .hasMessageContaining("input 2 [plan] at character 13 type [text]")
                .hasMessageContaining("[boolean, int32, int64, float32, float64]");
        assertThatThrownBy(() -> Signature.parse("age:float64,plan:string->value"))
                .hasMessageContaining("type [string]");
        assertThatThrownBy(() -> Signature.of(Schema.of(new Column("t", ColumnType.TIMESTAMP, true)), OutputKind.VALUE))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ModelErrorCode.INVALID_SIGNATURE))
                .hasMessageContaining("Input [t] has type [timestamp]");
    }

    @Test
    void badSyntaxIsRefusedSayingWhatIsWrongAndWhere() {
        assertThatThrownBy(() -> Signature.parse("age:float64"))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ModelErrorCode.INVALID_SIGNATURE))
                .hasMessageContaining("has no [->]");
        assertThatThrownBy(() -> Signature.parse("age:float64,income->value"))
                .hasMessageContaining("input 2 [income] at character 13 without a type");
        assertThatThrownBy(() -> Signature.parse("age:float64,,b:int64->value"))
                .hasMessageContaining("empty input name at character 13 (input 2)");
        assertThatThrownBy(() -> Signature.parse("->value")).hasMessageContaining("empty input name at character 1");
        assertThatThrownBy(() -> Signature.parse("age:float64->prob"))
                .hasMessageContaining("output [prob] at character 14");
        assertThatThrownBy(() -> Signature.parse("age:float64->class-probabilities"))
                .hasMessageContaining("output [class-probabilities]");
        assertThatThrownBy(() -> Signature.parse("age:float64->class-probabilities(1)"))
                .hasMessageContaining("class count of at least 2, not [1]");
    }

    @Test
    void aNameTheTextFormCouldNotReadBackIsRefused() {
        for (String name : new String[] {"a,b", "a:b", "a->b", " a"}) {
            assertThatThrownBy(() -> Signature.of(Schema.of(new Column(name, ColumnType.FLOAT64, true)), OutputKind.VALUE))
                    .isInstanceOfSatisfying(SeerException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ModelErrorCode.INVALID_SIGNATURE))
                    .hasMessageContaining("Input name [" + name + "]");
        }
    }

    @Test
    void aClassCountGoesOnlyWithClassProbabilities() {
        Schema inputs = Signature.parse("a:float64->value").inputs();

        assertThatThrownBy(() -> new Signature(inputs, OutputKind.VALUE, 3))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ModelErrorCode.INVALID_SIGNATURE))
                .hasMessageContaining("Output [value] has no class count");
        assertThat(Signature.classProbabilities(inputs, 3).width()).isEqualTo(3);
    }

    @Test
    void modelFormatsAreParsedByIdAndAnUnknownOneListsTheKnown() {
        for (ModelFormat format : ModelFormat.values()) {
            assertThat(ModelFormat.parse(format.id())).isEqualTo(format);
        }
        assertThat(ModelFormat.parse("xgboost-ubj")).isEqualTo(ModelFormat.XGBOOST_UBJ);
        assertThatThrownBy(() -> ModelFormat.parse("pickle"))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ModelErrorCode.UNKNOWN_FORMAT))
                .hasMessage("Model format [pickle] is not one of [xgboost-json, xgboost-ubj, onnx, seer-linear]");
    }
}
