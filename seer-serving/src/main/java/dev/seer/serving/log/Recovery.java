package dev.seer.serving.log;

/**
 * What opening the log repaired: the torn end of the last segment (a batch cut short by a crash,
 * never acknowledged since its sync had not returned) was truncated.
 *
 * @param segment      the segment file's name
 * @param offset       where it was cut (its new length)
 * @param bytesDropped how much was removed
 * @param reason       what was found there
 */
public record Recovery(String segment, long offset, long bytesDropped, String reason) {}
