package dev.wasmorch.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmorch.dashboards.GrafanaSql.Variable;
import dev.wasmorch.pipeline.sink.postgres.SampleResults;
import dev.wasmorch.pipeline.sink.postgres.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every panel and variable query of dashboards/json, expanded as Grafana's PostgreSQL data source
 * expands it, runs against a real PostgreSQL filled by the pipeline's sink and returns the rows the
 * sample results imply. Variables are set the way a user opening the dashboard gets them: "All".
 */
class DashboardQueriesTest {

    static final Path DASHBOARDS = Path.of("..", "dashboards", "json");
    static final ObjectMapper JSON = new ObjectMapper();
    static TestDatabase db;
    static final GrafanaSql GRAFANA = new GrafanaSql(
            SampleResults.T0.minus(Duration.ofHours(1)),
            Instant.now().plus(Duration.ofHours(1)),
            Duration.ofMinutes(1));

    @BeforeAll
    static void results() throws Exception {
        db = TestDatabase.create("wasmorch_dashboards");
        SampleResults.write(db.target());
        // A second counter sample 10 s earlier, as a running job would have left, so rates exist.
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO job_counter_history (job, name, at, value) "
                    + "SELECT job, name, min(at) - interval '10 seconds', 5 FROM job_counter_history "
                    + "WHERE name = 'lines_read' GROUP BY job, name");
        }
    }

    @AfterAll
    static void drop() throws Exception {
        db.close();
    }

    @Test
    void overviewPanelsReturnTheExpectedRows() throws Exception {
        JsonNode dash = JSON.readTree(DASHBOARDS.resolve("wasmorch.json").toFile());
        Map<String, Variable> vars = resolveVariables(dash);
        assertThat(vars.get("scenario").values()).containsExactly("instantiation");
        assertThat(vars.get("function").values()).containsExactly("aes");
        assertThat(vars.get("runtime").values()).containsExactly("container", "wasm");
        assertThat(vars.get("node").values()).containsExactly("agent-1", "agent-2");

        Map<String, List<List<Object>>> panels = runPanels(dash, vars);
        assertThat(panels)
                .hasSize(9)
                .allSatisfy((title, rows) -> assertThat(rows).as(title).isNotEmpty());

        assertThat(panels.get("Mean instantiation time per function (PodScheduled → ContainerStarted)"))
                .containsExactly(List.of("aes", 0.7, 1.7));
        assertThat(panels.get("Distribution of instantiation times")).hasSize(4);
        List<List<Object>> overTime = panels.get("Instantiation time over time (per minute of PodScheduled)");
        assertThat(overTime).hasSize(2);
        assertThat(overTime.get(0).subList(1, 2)).containsExactly("wasm aes");
        assertThat((Double) overTime.get(0).get(2)).isCloseTo(0.7, within(1e-9));
        assertThat(overTime.get(1).subList(1, 3)).containsExactly("container aes", 1.7);
        assertThat(panels.get("p95 per minute"))
                .extracting(r -> r.get(2))
                .containsExactly(0.88, 1.7); // ordered by minute
        List<List<Object>> perNode = panels.get("Mean instantiation time per node");
        assertThat(perNode).hasSize(2);
        assertThat(perNode.get(0).get(0)).isEqualTo("agent-1");
        assertThat((Double) perNode.get(0).get(1)).isCloseTo(0.6, within(1e-9));
        assertThat(perNode.get(0).subList(2, 4)).containsExactly(1.7, 3L);
        assertThat(perNode.get(1)).containsExactly("agent-2", 0.9, null, 2L);
        assertThat(panels.get("WASM vs container: Mann-Whitney U"))
                .hasSize(1)
                .allSatisfy(r -> assertThat(r.get(7)).isEqualTo(2.1));
        assertThat(panels.get("Pods")).hasSize(5);
        // 10 lines in 10 s, then the end-of-input total again (0/s) when the job's timers fired apart
        List<List<Object>> rate = panels.get("Lines read per second");
        assertThat(rate.get(0).get(2)).isNull();
        assertThat(((Number) rate.get(1).get(2)).doubleValue()).isCloseTo(1.0, within(1e-9));
        assertThat(rate.subList(2, rate.size()))
                .allSatisfy(r -> assertThat(((Number) r.get(2)).doubleValue()).isZero());
        assertThat(panels.get("Counters (rejects by reason)"))
                .extracting(r -> r.get(1))
                .containsExactly("rejected:bad_timestamp", "lines_read");
    }

    @Test
    void podDetailShowsThePhasesOfThePodLinkedFromThePodsTable() throws Exception {
        JsonNode dash = JSON.readTree(DASHBOARDS.resolve("wasmorch-pod.json").toFile());
        Map<String, Variable> vars = resolveVariables(dash);
        assertThat(vars.get("namespace").values()).containsExactly("fn");
        assertThat(vars.get("pod").values()).containsExactly("aes-c1"); // the newest, first in the list

        Map<String, List<List<Object>>> panels = runPanels(dash, vars);
        List<List<Object>> phases = panels.get("Phases of ${namespace}/${pod}");
        assertThat(phases)
                .extracting(r -> r.get(0))
                .containsExactly("created", "scheduled", "container_started", "ready");
        assertThat(((Number) phases.get(2).get(2)).doubleValue()).isCloseTo(1.7, within(1e-6));
        assertThat(panels.get("Pod")).hasSize(1);

        // the link of the overview's pods table points here with these variable names
        String overview = Files.readString(DASHBOARDS.resolve("wasmorch.json"));
        assertThat(overview)
                .contains("/d/wasmorch-pod/wasmorch-pod?var-namespace=")
                .contains("&var-pod=");
    }

    @Test
    void quotingFollowsGrafana() {
        GrafanaSql g = new GrafanaSql(
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T01:00:00Z"), Duration.ofMinutes(5));
        Map<String, Variable> vars =
                Map.of("f", new Variable(List.of("a", "o'b"), true), "p", new Variable(List.of("x"), false));
        assertThat(g.expand(
                        "f IN ($f) AND p = ${p:sqlstring} AND q = $p AND $__timeFilter(t)"
                                + " GROUP BY $__timeGroupAlias(t, $__interval)",
                        vars))
                .isEqualTo("f IN ('a','o''b') AND p = 'x' AND q = x AND t BETWEEN '2026-01-01T00:00:00Z' AND "
                        + "'2026-01-01T01:00:00Z' GROUP BY floor(extract(epoch from t)/300)*300 AS \"time\"");
    }

    /** Runs the variable queries in dashboard order, each seeing the ones before it; all values selected. */
    private static Map<String, Variable> resolveVariables(JsonNode dash) throws Exception {
        Map<String, Variable> vars = new LinkedHashMap<>();
        for (JsonNode v : dash.at("/templating/list")) {
            List<List<Object>> rows = db.rows(GRAFANA.expand(v.get("query").asText(), vars));
            List<String> values = new ArrayList<>();
            rows.forEach(r -> values.add(String.valueOf(r.get(0))));
            boolean multi = v.get("multi").asBoolean() || v.get("includeAll").asBoolean();
            assertThat(values).as("values of $%s", v.get("name").asText()).isNotEmpty();
            vars.put(v.get("name").asText(), new Variable(multi ? values : values.subList(0, 1), multi));
        }
        return vars;
    }

    private static Map<String, List<List<Object>>> runPanels(JsonNode dash, Map<String, Variable> vars)
            throws Exception {
        Map<String, List<List<Object>>> results = new LinkedHashMap<>();
        for (JsonNode panel : dash.get("panels")) {
            assertThat(panel.at("/datasource/uid").asText()).isEqualTo("wasmorch-pg");
            for (JsonNode target : panel.get("targets")) {
                results.put(
                        panel.get("title").asText(),
                        db.rows(GRAFANA.expand(target.get("rawSql").asText(), vars)));
            }
        }
        return results;
    }
}
