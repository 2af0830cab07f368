package io.wenzhen.quality.analytics;

/**
 * A participant's quality over one fixed interval (a tumbling window, 10 s by default): what a
 * consultation's report is built from (averages, worst windows, freezes, MOS distribution).
 *
 * @param samplesAdded every sample the participant sent while this bucket was the current one, late ones
 *                     included, so a report's sample count is exact
 */
public record Bucket(long startMillis, long endMillis, long samplesAdded, Metrics metrics) {
}
