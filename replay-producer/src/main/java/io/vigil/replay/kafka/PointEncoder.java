package io.vigil.replay.kafka;

import io.vigil.avro.TelemetryPoint;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Writes {@code TelemetryPoint}s straight into the registry wire format, byte for byte what
 * {@code AvroSerializer} writes, without building a record or an encoder per point: the per-channel part
 * (header, channel id, source) is encoded once as a prefix, and a point only appends its time (zig-zag
 * varint), value (8 bytes little-endian) and inputs (an Avro array: none is one 0 byte, else the count,
 * the doubles and a closing 0).
 *
 * <p>It is only used after proving itself: {@link #verified} returns null (and the publisher falls back
 * to the serializer) unless the schema has exactly the five fields it knows, and its bytes equal the
 * serializer's for probe points. So a schema that evolves can make the replay slower, never wrong.
 */
final class PointEncoder {

    private static final List<String> FIELDS = List.of("channelId:STRING", "source:STRING", "eventTime:LONG", "value:DOUBLE",
            "inputs:ARRAY");

    private final byte[] header;

    private PointEncoder(byte[] header) {
        this.header = header;
    }

    /**
     * An encoder using the schema id in {@code serialized} (the serializer's bytes for {@code probe}),
     * or null if it cannot reproduce them.
     */
    static PointEncoder verified(TelemetryPoint probe, byte[] serialized) {
        List<String> fields = TelemetryPoint.getClassSchema().getFields().stream()
                .map(f -> f.name() + ":" + f.schema().getType()).toList();
        if (!fields.equals(FIELDS) || serialized == null || serialized.length < 5 || serialized[0] != 0) {
            return null;
        }
        PointEncoder encoder = new PointEncoder(Arrays.copyOf(serialized, 5));
        byte[] mine = encoder.encode(encoder.prefix(probe.getChannelId().toString(), probe.getSource().toString()),
                probe.getEventTime().toEpochMilli(), probe.getValue(),
                probe.getInputs().stream().mapToDouble(Double::doubleValue).toArray());
        return Arrays.equals(mine, serialized) ? encoder : null;
    }


    /** Header, channel id and source, encoded once per channel. */
    byte[] prefix(String channelId, String source) {
        byte[] id = channelId.getBytes(StandardCharsets.UTF_8);
        byte[] src = source.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[header.length + 20 + id.length + src.length];
        System.arraycopy(header, 0, out, 0, header.length);
        int pos = writeBytes(out, header.length, id);
        pos = writeBytes(out, pos, src);
        return Arrays.copyOf(out, pos);
    }

    /** One point's value bytes: the channel's prefix, then time, value and inputs. */
    byte[] encode(byte[] prefix, long eventTime, double value, double[] inputs) {
        long zigzag = (eventTime << 1) ^ (eventTime >> 63);
        long count = inputs.length;
        long countZigzag = count << 1;
        int arrayBytes = inputs.length == 0 ? 1 : varintLength(countZigzag) + inputs.length * Double.BYTES + 1;
        byte[] out = new byte[prefix.length + varintLength(zigzag) + Double.BYTES + arrayBytes];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        int pos = writeVarint(out, prefix.length, zigzag);
        pos = writeDouble(out, pos, value);
        if (inputs.length > 0) {
            pos = writeVarint(out, pos, countZigzag);
            for (double v : inputs) {
                pos = writeDouble(out, pos, v);
            }
        }
        out[pos] = 0; // the array's closing block of 0 items
        return out;
    }

    private static int writeDouble(byte[] out, int pos, double value) {
        long bits = Double.doubleToRawLongBits(value);
        for (int i = 0; i < Double.BYTES; i++) {
            out[pos + i] = (byte) (bits >>> (8 * i));
        }
        return pos + Double.BYTES;
    }

    private static int writeBytes(byte[] out, int pos, byte[] bytes) {
        long length = bytes.length;
        pos = writeVarint(out, pos, (length << 1) ^ (length >> 63));
        System.arraycopy(bytes, 0, out, pos, bytes.length);
        return pos + bytes.length;
    }

    private static int writeVarint(byte[] out, int pos, long zigzag) {
        while ((zigzag & ~0x7FL) != 0) {
            out[pos++] = (byte) ((zigzag & 0x7F) | 0x80);
            zigzag >>>= 7;
        }
        out[pos++] = (byte) zigzag;
        return pos;
    }

    private static int varintLength(long zigzag) {
        int n = 1;
        while ((zigzag & ~0x7FL) != 0) {
            zigzag >>>= 7;
            n++;
        }
        return n;
    }
}
