package io.vigil.bridge.ingest;

/**
 * Why one row of a batch was refused.
 *
 * @param row the row's index in {@code points}, from 0
 * @param field the field at fault ({@code channel}, {@code time}, {@code value}, {@code source},
 *              {@code inputs}), {@code point} for a row that is no JSON object, or {@code points} at the
 *              first row beyond the batch limit (one error for all of them)
 * @param reason what is wrong, for a person
 */
public record RowError(int row, String field, String reason) {}
