package dev.seer.features.stream;

/**
 * A record that stream ingestion refused: where it came from ({@code topic}, {@code partition},
 * {@code offset} of the source topic), why ({@code error}), its original bytes as text
 * ({@code value}), and where it sits in the dead-letter topic.
 */
public record DeadLetter(String source, String topic, int partition, long offset, String error, String value,
        int deadLetterPartition, long deadLetterOffset) {}
