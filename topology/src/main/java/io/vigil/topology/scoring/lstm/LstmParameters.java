package io.vigil.topology.scoring.lstm;

import io.vigil.avro.LstmArchitecture;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * The weights of one released forecaster, read from Deeplearning4j's flat parameter vector and
 * rearranged for stepping one point (the value and its input features) at a time.
 *
 * <h2>The wire layout (what {@code ModelRelease.parameters} carries)</h2>
 *
 * <p>DL4J's {@code MultiLayerNetwork.params()} as little-endian float32, nothing else: no header, the
 * shape comes from {@link LstmArchitecture}. With {@code H = units}, {@code G = 4H},
 * {@code nIn = inputSize} for layer 0 and {@code H} above it, the vector is the concatenation
 * <pre>
 *   for each LSTM layer l:  l_W [nIn, G], l_RW [H, G], l_b [G]
 *   then the dense output:  W [H, outputSize], b [outputSize]
 * </pre>
 * each block column-major ('f' order): element {@code (r, col)} of a block with {@code R} rows sits
 * at {@code blockStart + r + col * R}. Along the {@code G} columns the gates come in the order
 * <pre>
 *   [0, H)   a  candidate ("input modulation"), tanh
 *   [H, 2H)  f  forget gate, sigmoid
 *   [2H, 3H) o  output gate, sigmoid
 *   [3H, 4H) i  input gate, sigmoid
 * </pre>
 * and one step of a layer with input row {@code x} and previous state {@code (h, c)} is
 * <pre>
 *   z = x W + h RW + b                      (a row of G values)
 *   c' = f * c + i * a;   h' = o * tanh(c')  (elementwise, gates from z as above)
 * </pre>
 * with no peepholes; the dense layer is linear ({@code y = h' W + b} on the top layer's {@code h'}).
 * The parity test in the models module checks this layout element by element against DL4J's
 * {@code paramTable()} and step by step against {@code rnnTimeStep}; the 2x80 default is 77,841
 * values, 311,364 bytes.
 *
 * <h2>In memory</h2>
 *
 * <p>The {@code n} rows a layer multiplies by hidden outputs (layer 0: {@code RW}; above: {@code W}
 * then {@code RW}, as the row vector {@code [h_below, h]} multiplies them), each {@code G} values in
 * the gate order above, are one flat array per layer in <b>block-major</b> order: the {@code G}
 * columns are cut into blocks of {@value #BLOCK} (the last one narrower), and each block holds its
 * columns of row 0, then of row 1, and so on ({@link #blockOffset}). The passes hold a block of z
 * while they walk every row's part of it, so a step reads each layer's weights front to back in one
 * stream, which the hardware prefetcher follows: with 1,000 channels of distinct 2x80 weights the
 * Vector API step fell from 16.8 to 11.1 us against one array per row, and from 3.9 to 2.3 us with
 * the weights in cache ({@code LstmStepTiming}). Each z[k] still adds the rows up in row order, so
 * the results are those of the row-at-a-time sum. Layer 0's input rows ({@code 0_W}), the biases and
 * the dense layer are kept apart, float32 in every precision.
 * Every dense output is kept, though the forward passes compute only output 0, the one scoring uses.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class LstmParameters {

    /** How the hidden-fed weight rows are held in memory. */
    public enum Precision {
        /** Exactly DL4J's float32 values; the default. */
        FLOAT32,
        /**
         * IEEE binary16 weights: half the bytes to stream per step, widened to float32 in registers;
         * the arithmetic and the state stay float32, as do the input rows, biases and dense layer.
         * Binary16 keeps 11 significant bits (relative error at most 2^-11) where bfloat16 keeps 8
         * (2^-8): on random 2x80 networks stepped through 10k points its forecasts stayed 5-8x closer
         * to float32's, for one extra lane operation (a mask) in the widening. Its range
         * (|w| <= 65504) is no limit for LSTM weights; a network beyond it is refused at load.
         * Weights below 2^-14 round to 0 or 2^-14, so no subnormal reaches the arithmetic.
         */
        HALF
    }

    /** Columns per block of the hidden-fed rows; a multiple of every vector width in use (4 to 16 lanes). */
    static final int BLOCK = 64;

    private final int inputSize;
    private final int layers;
    private final int units;
    private final int outputSize;
    private final Precision precision;

    /** [row][G]: layer 0's {@code 0_W}, multiplied by the scaled value (row 0) and input features. */
    final float[][] inputRows;
    /** [layer]: the hidden-fed rows of the layer, block-major, for FLOAT32, else null. */
    final float[][] rows;
    /** The same rows as binary16 for HALF, else null. */
    final short[][] halfRows;
    /** [layer]: how many hidden-fed rows the layer has (H for layer 0, 2H above). */
    final int[] rowCount;
    /** [layer][G]. */
    final float[][] bias;
    /** [output][H]: one output's weights contiguous for the dot product. */
    final float[][] dense;
    /** [output]. */
    final float[] denseBias;

    private LstmParameters(LstmArchitecture a, float[] flat, Precision precision) {
        this.inputSize = a.getInputSize();
        this.layers = a.getLayers();
        this.units = a.getUnits();
        this.outputSize = a.getOutputSize();
        this.precision = precision;
        int h = units;
        int g = 4 * h;
        bias = new float[layers][];
        float[][] firstInputRows = null;
        float[][] floatRows = new float[layers][];
        short[][] shortRows = new short[layers][];
        rowCount = new int[layers];
        int at = 0;
        for (int l = 0; l < layers; l++) {
            int nIn = l == 0 ? inputSize : h;
            float[][] w = readColumnMajor(flat, at, nIn, g);
            at += nIn * g;
            float[][] rw = readColumnMajor(flat, at, h, g);
            at += h * g;
            bias[l] = Arrays.copyOfRange(flat, at, at + g);
            at += g;
            float[][] hiddenFed;
            if (l == 0) {
                firstInputRows = w;
                hiddenFed = rw;
            } else {
                hiddenFed = Arrays.copyOf(w, 2 * h);
                System.arraycopy(rw, 0, hiddenFed, h, h);
            }
            rowCount[l] = hiddenFed.length;
            float[] blocked = blockMajor(hiddenFed, g);
            if (precision == Precision.HALF) {
                shortRows[l] = toHalf(blocked);
            } else {
                floatRows[l] = blocked;
            }
        }
        inputRows = firstInputRows;
        dense = new float[outputSize][];
        for (int o = 0; o < outputSize; o++) {
            dense[o] = Arrays.copyOfRange(flat, at + o * h, at + (o + 1) * h);
        }
        at += h * outputSize;
        denseBias = Arrays.copyOfRange(flat, at, at + outputSize);
        rows = precision == Precision.HALF ? null : floatRows;
        halfRows = precision == Precision.HALF ? shortRows : null;
    }

    /** The column-major block {@code [rows, cols]} at {@code at}, as rows. */
    private static float[][] readColumnMajor(float[] flat, int at, int rows, int cols) {
        float[][] out = new float[rows][cols];
        for (int col = 0; col < cols; col++) {
            int columnStart = at + col * rows;
            for (int r = 0; r < rows; r++) {
                out[r][col] = flat[columnStart + r];
            }
        }
        return out;
    }

    /** {@code n} rows of {@code g} columns as one block-major array (see the class comment). */
    private static float[] blockMajor(float[][] rows, int g) {
        int n = rows.length;
        float[] out = new float[n * g];
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < g; k++) {
                out[blockOffset(n, g, j, k)] = rows[j][k];
            }
        }
        return out;
    }

    /** Where element {@code (row j, column k)} of {@code n} block-major rows of {@code g} columns sits. */
    static int blockOffset(int n, int g, int j, int k) {
        int blockStart = k - k % BLOCK;
        int width = Math.min(BLOCK, g - blockStart);
        return n * blockStart + j * width + (k - blockStart);
    }

    private static short[] toHalf(float[] weights) {
        short[] out = new short[weights.length];
        for (int i = 0; i < weights.length; i++) {
            out[i] = HalfFloat.fromFloat(weights[i]);
        }
        return out;
    }

    /** Reads exact float32 weights from the release's parameter bytes (position to limit, untouched). */
    public static LstmParameters fromBytes(LstmArchitecture architecture, ByteBuffer parameters) {
        return fromBytes(architecture, parameters, Precision.FLOAT32);
    }

    /**
     * Reads the release's parameter bytes, from the buffer's position to its limit, without moving
     * the caller's position.
     *
     * @throws IllegalArgumentException if the shape is invalid, the byte count does not match it, a
     *     value is not finite, or (HALF) a weight is beyond binary16's range
     */
    public static LstmParameters fromBytes(LstmArchitecture architecture, ByteBuffer parameters, Precision precision) {
        long expected = parameterCount(architecture);
        int bytes = parameters.remaining();
        if (bytes != expected * Float.BYTES) {
            throw new IllegalArgumentException("parameters are " + bytes + " bytes but " + describe(architecture)
                    + " needs " + expected + " float32 values = " + expected * Float.BYTES + " bytes");
        }
        FloatBuffer floats = parameters.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] flat = new float[(int) expected];
        floats.get(flat);
        return fromFloats(architecture, flat, precision);
    }

    /** As {@link #fromBytes(LstmArchitecture, ByteBuffer, Precision)} for a byte array. */
    public static LstmParameters fromBytes(LstmArchitecture architecture, byte[] parameters, Precision precision) {
        return fromBytes(architecture, ByteBuffer.wrap(parameters), precision);
    }

    /** Reads DL4J's flat {@code params()} already decoded to floats (same layout as the bytes). */
    public static LstmParameters fromFloats(LstmArchitecture architecture, float[] flat, Precision precision) {
        long expected = parameterCount(architecture);
        if (flat.length != expected) {
            throw new IllegalArgumentException("got " + flat.length + " parameters but " + describe(architecture)
                    + " needs " + expected);
        }
        for (int i = 0; i < flat.length; i++) {
            if (!Float.isFinite(flat[i])) {
                throw new IllegalArgumentException("parameter " + i + " is " + flat[i] + ": the model is unusable");
            }
        }
        return new LstmParameters(architecture, flat, Objects.requireNonNull(precision, "precision"));
    }

    /**
     * Number of float32 values DL4J holds for this shape.
     *
     * @throws IllegalArgumentException if a dimension is below 1 or the count exceeds an array's reach
     */
    public static long parameterCount(LstmArchitecture a) {
        if (a.getInputSize() < 1 || a.getLayers() < 1 || a.getUnits() < 1 || a.getOutputSize() < 1) {
            throw new IllegalArgumentException("every dimension must be at least 1: " + describe(a));
        }
        long count;
        try {
            long h = a.getUnits();
            long g = 4 * h;
            long layer0 = Math.multiplyExact(a.getInputSize() + h + 1, g);
            long above = Math.multiplyExact(a.getLayers() - 1L, Math.multiplyExact(2 * h + 1, g));
            count = Math.addExact(Math.addExact(layer0, above), Math.multiplyExact(h + 1, (long) a.getOutputSize()));
        } catch (ArithmeticException overflow) {
            count = Long.MAX_VALUE;
        }
        // The byte form must fit one array.
        if (count > Integer.MAX_VALUE / Float.BYTES) {
            throw new IllegalArgumentException(describe(a) + " has too many parameters to load");
        }
        return count;
    }

    private static String describe(LstmArchitecture a) {
        return "LSTM(inputSize=" + a.getInputSize() + ", layers=" + a.getLayers() + ", units=" + a.getUnits()
                + ", outputSize=" + a.getOutputSize() + ")";
    }

    public int inputSize() {
        return inputSize;
    }

    public int layers() {
        return layers;
    }

    public int units() {
        return units;
    }

    public int outputSize() {
        return outputSize;
    }

    public Precision precision() {
        return precision;
    }

    /** Element {@code (row, col)} of DL4J's {@code {layer}_W [nIn, 4H]}, as the forward passes use it. */
    public float inputWeight(int layer, int row, int col) {
        checkIndex(col, 4 * units, "column");
        if (layer == 0) {
            return inputRows[checkIndex(row, inputSize, "input row")][col];
        }
        return hiddenFed(layer, checkIndex(row, units, "input row"), col);
    }

    /** Element {@code (row, col)} of DL4J's {@code {layer}_RW [H, 4H]}, as the forward passes use it. */
    public float recurrentWeight(int layer, int row, int col) {
        checkIndex(col, 4 * units, "column");
        return hiddenFed(layer, (layer == 0 ? 0 : units) + checkIndex(row, units, "recurrent row"), col);
    }

    /** Element {@code col} of DL4J's {@code {layer}_b [4H]}. */
    public float bias(int layer, int col) {
        return bias[layer][col];
    }

    /** Element {@code (row, output)} of the dense layer's {@code W [H, outputSize]}. */
    public float outputWeight(int row, int output) {
        return dense[output][row];
    }

    /** Element {@code output} of the dense layer's bias. */
    public float outputBias(int output) {
        return denseBias[output];
    }

    /** Bytes of weights a step streams through (array headers not counted). */
    public long weightBytes() {
        long hiddenFed = (2L * layers - 1) * units * 4 * units;
        return hiddenFed * (precision == Precision.HALF ? 2 : 4)
                + ((long) inputSize + layers) * 4 * units * Float.BYTES
                + (long) (units + 1) * outputSize * Float.BYTES;
    }

    /** What every forward pass relies on; cheap enough for every step. */
    void checkSteppable(LstmState state, float[] inputs) {
        if (!state.fits(this)) {
            throw new IllegalArgumentException("state " + state.layers() + "x" + state.units() + " does not fit " + this);
        }
        if (inputs.length != inputSize - 1) {
            throw new IllegalArgumentException("a step fed the value and " + inputs.length + " input features, but "
                    + this + " takes " + inputSize + " in all");
        }
    }

    private float hiddenFed(int layer, int row, int col) {
        int at = blockOffset(rowCount[layer], 4 * units, row, col);
        return rows != null ? rows[layer][at] : HalfFloat.toFloat(halfRows[layer][at]);
    }

    private static int checkIndex(int index, int size, String what) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(what + " " + index + " outside [0, " + size + ")");
        }
        return index;
    }

    @Override
    public String toString() {
        return "LstmParameters[" + inputSize + "->" + layers + "x" + units + "->" + outputSize + ", " + precision + "]";
    }
}
