package io.vigil.bridge.views;

/** JSON has no NaN: non-finite doubles become null. */
final class Numbers {

    static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }

    private Numbers() {}
}
