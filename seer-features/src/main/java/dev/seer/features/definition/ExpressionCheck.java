package dev.seer.features.definition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.duckdb.DuckEngine;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a feature expression may be used. It must parse as exactly one SQL scalar
 * expression (checked on DuckDB's own parse tree, from {@code json_serialize_sql}), contain no
 * subquery and call no function that reads files, settings or the environment; it must then
 * bind against the source's columns in a sandboxed connection, which would refuse file and
 * network access anyway. Two layers, so that a gap in one is covered by the other.
 */
final class ExpressionCheck {
    private static final Set<String> FORBIDDEN_FUNCTIONS = Set.of("getenv", "current_setting", "query", "query_table",
            "glob", "read_text", "read_blob", "read_csv", "read_csv_auto", "read_parquet", "read_json", "read_json_auto",
            "read_ndjson", "parquet_scan", "sniff_csv", "duckdb_settings", "duckdb_extensions");

    private ExpressionCheck() {}

    /** Empty when the expression is allowed; otherwise the reason it is not. */
    static Optional<String> problem(Connection sandbox, String expression, Map<String, String> columns) {
        if (expression.contains(";")) {
            return Optional.of("it must be one expression, without ';'");
        }
        Optional<String> shape = shapeProblem(sandbox, expression);
        if (shape.isPresent()) {
            return shape;
        }
        StringBuilder row = new StringBuilder();
        columns.forEach((name, type) -> row.append(row.length() == 0 ? "" : ", ").append("NULL::").append(type)
                .append(" AS ").append(DuckEngine.identifier(name)));
        String sql = "SELECT (" + expression + ") AS v FROM (SELECT " + (row.length() == 0 ? "1 AS _" : row) + ") LIMIT 0";
        // Preparing binds names and types without running anything, and reports DuckDB's own message.
        try (java.sql.PreparedStatement statement = sandbox.prepareStatement(sql)) {
            statement.getMetaData();
            return Optional.empty();
        } catch (SQLException e) {
            return Optional.of(firstLine(e));
        }
    }

    private static Optional<String> shapeProblem(Connection sandbox, String expression) {
        JsonNode tree;
        // json_serialize_sql takes a constant, not a parameter: the text goes in as an escaped literal.
        String sql = "SELECT json_serialize_sql(" + DuckEngine.literal("SELECT (" + expression + ") AS v") + ")";
        try (Statement statement = sandbox.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            tree = Json.parse(rs.getString(1));
        } catch (SQLException | SeerException e) {
            return Optional.of("it could not be parsed");
        }
        if (tree.path("error").asBoolean()) {
            return Optional.of("it does not parse: " + tree.path("error_message").asText());
        }
        JsonNode statements = tree.path("statements");
        JsonNode select = statements.path(0).path("node");
        if (statements.size() != 1 || select.path("select_list").size() != 1
                || !"EMPTY".equals(select.path("from_table").path("type").asText("EMPTY"))
                || select.path("where_clause").isObject() || select.path("group_expressions").size() > 0) {
            return Optional.of("it must be a single expression over the source's columns");
        }
        return forbidden(select.path("select_list").get(0));
    }

    private static Optional<String> forbidden(JsonNode node) {
        if (node.isObject()) {
            String kind = node.path("class").asText();
            if (kind.equals("SUBQUERY")) {
                return Optional.of("subqueries are not allowed");
            }
            if (kind.equals("FUNCTION") || kind.equals("WINDOW")) {
                String function = node.path("function_name").asText().toLowerCase(Locale.ROOT);
                if (FORBIDDEN_FUNCTIONS.contains(function) || kind.equals("WINDOW")) {
                    return Optional.of("function [" + function + "] is not allowed in a feature expression");
                }
            }
        }
        for (JsonNode child : node) {
            Optional<String> found = forbidden(child);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static String firstLine(SQLException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        return message.split("\n")[0];
    }
}
