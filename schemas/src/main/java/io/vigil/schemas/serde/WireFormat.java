package io.vigil.schemas.serde;

/**
 * Confluent's framing of a registry-backed record: magic byte 0, the writer schema's id as a 4-byte
 * big-endian int, then the Avro binary body. Kept byte-identical so Confluent tools read Vigil's topics.
 */
final class WireFormat {

    static final byte MAGIC = 0;
    static final int HEADER_LENGTH = 5;

    private WireFormat() {
    }

    static void writeHeader(byte[] target, int schemaId) {
        target[0] = MAGIC;
        target[1] = (byte) (schemaId >>> 24);
        target[2] = (byte) (schemaId >>> 16);
        target[3] = (byte) (schemaId >>> 8);
        target[4] = (byte) schemaId;
    }

    static int readSchemaId(byte[] data) {
        return ((data[1] & 0xff) << 24) | ((data[2] & 0xff) << 16) | ((data[3] & 0xff) << 8) | (data[4] & 0xff);
    }
}
