package dev.seer.explain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.models.ModelFormat;
import dev.seer.models.TreeEnsemble;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Models saved by Python XGBoost 1.7.4 (the project's Python peer) in JSON and UBJ, with missing
 * values, against that XGBoost's own pred_contribs and margins (written once by
 * resources/xgboost-1.7/make_fixtures.py): binary:logistic, multi:softprob, reg:logistic,
 * reg:absoluteerror.
 */
class PythonXGBoostFilesTest {
    @Test
    void treeShapAndMarginsEqualPythonXGBoost17sOnItsOwnFiles() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (String name : List.of("binary", "multi", "reglog", "mae")) {
            JsonNode expect = Json.parse(bytes(name + ".expect.json"));
            for (ModelFormat format : List.of(ModelFormat.XGBOOST_JSON, ModelFormat.XGBOOST_UBJ)) {
                TreeEnsemble ensemble = TreeEnsemble.read(format, bytes(name + (format == ModelFormat.XGBOOST_JSON ? ".json" : ".ubj")));
                TreeShap shap = TreeShap.of(ensemble);
                for (int r = 0; r < expect.path("x").size(); r++) {
                    JsonNode xr = expect.path("x").get(r);
                    double[] row = new double[xr.size()];
                    for (int j = 0; j < row.length; j++) {
                        row[j] = xr.get(j).isNull() ? Double.NaN : xr.get(j).asDouble();
                    }
                    double[] ours = shap.contributions(row);
                    JsonNode ref = expect.path("contribs").get(r);
                    for (int j = 0; j < ours.length; j++) {
                        if (Math.abs(ours[j] - ref.get(j).asDouble()) > 1e-5 * Math.max(1, Math.abs(ref.get(j).asDouble()))) {
                            wrong.add(name + " " + format.id() + " row " + r + " col " + j + ": " + ours[j] + " vs " + ref.get(j));
                        }
                    }
                    double[] margins = ensemble.margins(row);
                    for (int g = 0; g < margins.length; g++) {
                        double m = expect.path("margins").get(r).get(g).asDouble();
                        if (Math.abs(margins[g] - m) > 1e-5 * Math.max(1, Math.abs(m))) {
                            wrong.add(name + " " + format.id() + " row " + r + " margin " + g + ": " + margins[g] + " vs " + m);
                        }
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    private static byte[] bytes(String file) throws Exception {
        try (var in = PythonXGBoostFilesTest.class.getResourceAsStream("/xgboost-1.7/" + file)) {
            return in.readAllBytes();
        }
    }
}
