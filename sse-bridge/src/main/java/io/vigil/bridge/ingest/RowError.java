package io.vigil.bridge.ingest;

/**
 * Why one row of a batch was refused.
 *
 * @param row the row's index in {@code points}, from 0
 * @param field the field at fault ({@code channel}, {@code time}, {@code value}, {@code inputs}), or
 *              {@code points} for a row beyond the batch limit
 * @param reason what is wrong, for a person
 */
public record RowError(int row, String field, String reason) {}
