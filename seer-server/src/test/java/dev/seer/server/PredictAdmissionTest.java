package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.Role;
import dev.seer.serving.log.PredictionQuery;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Past {@code server.max-predictions-in-flight} the predict route answers 429 with Retry-After at once, and a
 * refused request leaves nothing in the log: every logged prediction is one that was answered 200.
 */
class PredictAdmissionTest {
    @TempDir
    Path dir;

    @Test
    void burstsPastTheLimitAreRefusedWith429AndOnlyAnsweredPredictionsAreLogged() throws Exception {
        try (RunningServer running = new RunningServer(dir, config -> config.with(ServerConfig.SECTION,
                new ServerConfig("127.0.0.1", 0, 1)))) {
            ServingRouteTest.importLinear(running, "lin", new double[] {1, 1});
            HttpResponse<String> deployed = running.send("POST", "/api/v1/deployments/lin", Role.OPERATOR,
                    "{\"model\": \"lin\", \"version\": 1}");
            assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(200);
            Set<String> answered = new HashSet<>();
            int refused = 0;
            ExecutorService clients = Executors.newFixedThreadPool(16);
            try {
                // bursts of 16 requests released together against one admitted at a time; a few bursts make a refusal
                // certain in practice, and the assertions below hold for whatever mix happens
                for (int burst = 0; burst < 20 && (refused == 0 || burst < 3); burst++) {
                    CyclicBarrier start = new CyclicBarrier(16);
                    List<Future<HttpResponse<String>>> sent = new ArrayList<>();
                    for (int c = 0; c < 16; c++) {
                        int a = burst * 16 + c;
                        sent.add(clients.submit(() -> {
                            start.await(10, TimeUnit.SECONDS);
                            return running.send("POST", "/api/v1/predict/lin", Role.OPERATOR,
                                    "{\"features\": {\"a\": " + a + ", \"b\": 0}}");
                        }));
                    }
                    for (Future<HttpResponse<String>> f : sent) {
                        HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
                        if (r.statusCode() == 429) {
                            refused++;
                            assertThat(RunningServer.errorCode(r)).isEqualTo("BUSY");
                            assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
                            assertThat(r.body()).contains("server.max-predictions-in-flight");
                        } else {
                            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                            JsonNode p = Json.parse(r.body()).path("predictions").get(0);
                            answered.add(p.path("id").asText());
                        }
                    }
                }
            } finally {
                clients.shutdownNow();
            }
            assertThat(refused).as("requests refused with 429").isPositive();
            assertThat(answered).isNotEmpty();
            Set<String> logged = new HashSet<>();
            running.services.serving().log().log().query(PredictionQuery.all()).forEach(p -> logged.add(p.id()));
            assertThat(logged).isEqualTo(answered);
        }
    }
}
