package io.vigil.topology.scoring.lstm;

/**
 * Picks the forward pass. The Vector API is an incubator module in Java 17 and exists in a JVM only
 * when started with {@code --add-modules jdk.incubator.vector}; without it, loading
 * {@code VectorForwardPass} would fail with {@code NoClassDefFoundError}. So it is created only in a
 * holder class that is first touched behind the module check: HotSpot loads a class when code first
 * uses it, and the verifier does not load it to check an assignment to an interface type. A test
 * runs a JVM without the module and checks the class is never loaded.
 */
public final class LstmForwardPasses {

    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final LstmForwardPass SCALAR = new ScalarForwardPass();

    private LstmForwardPasses() {}

    /** The fastest pass this JVM can run: the Vector API one if its module is present, else plain Java. */
    public static LstmForwardPass best() {
        return vectorAvailable() ? vector() : SCALAR;
    }

    /** Plain Java; runs everywhere. */
    public static LstmForwardPass scalar() {
        return SCALAR;
    }

    /**
     * The Vector API pass.
     *
     * @throws UnsupportedOperationException if the JVM was started without the vector module
     */
    public static LstmForwardPass vector() {
        if (!vectorAvailable()) {
            throw new UnsupportedOperationException("start the JVM with --add-modules " + VECTOR_MODULE
                    + " to use the Vector API forward pass");
        }
        return VectorHolder.INSTANCE;
    }

    /** Whether {@code jdk.incubator.vector} is in this JVM's boot layer. */
    public static boolean vectorAvailable() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /** Loaded only on the first call to {@link #vector()}, i.e. only once the module is known present. */
    private static final class VectorHolder {
        static final LstmForwardPass INSTANCE = new VectorForwardPass();
    }
}
