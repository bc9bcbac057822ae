package dev.seer.features.ingest;

/** One reason a source row was held back: which batch, row (1-based, in file order), view, column and why, and the row as read. */
public record QuarantineRecord(String batchId, long row, String view, String column, String reason, String record) {}
