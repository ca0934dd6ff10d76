package io.vigil.models.training;

/**
 * Adam as DL4J's {@code AdamUpdater} applies it (beta1 0.9, beta2 0.999, epsilon 1e-8, the bias
 * correction folded into the step size), on a flat parameter vector.
 */
final class Adam {

    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double EPSILON = 1e-8;

    private final double learningRate;
    private final float[] m;
    private final float[] v;
    private int iteration;

    Adam(double learningRate, int parameters) {
        this.learningRate = learningRate;
        this.m = new float[parameters];
        this.v = new float[parameters];
    }

    /** One step against {@code gradient}. */
    void update(float[] params, float[] gradient) {
        iteration++;
        double correction1 = 1 - Math.pow(BETA1, iteration);
        double correction2 = 1 - Math.pow(BETA2, iteration);
        float alpha = (float) (learningRate * Math.sqrt(correction2) / correction1);
        float b1 = (float) BETA1;
        float b2 = (float) BETA2;
        float eps = (float) EPSILON;
        for (int k = 0; k < params.length; k++) {
            float g = gradient[k];
            float mk = b1 * m[k] + (1 - b1) * g;
            float vk = b2 * v[k] + (1 - b2) * g * g;
            m[k] = mk;
            v[k] = vk;
            params[k] -= alpha * mk / ((float) Math.sqrt(vk) + eps);
        }
    }
}
