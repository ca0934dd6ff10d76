package io.vigil.schemas.registry;

/**
 * A schema registry call failed: either the registry answered with an error, or it could not be
 * reached at all.
 *
 * <p>{@link #httpStatus()} is {@link #NO_STATUS} when no HTTP answer arrived (connection refused,
 * timeout, ...): that is an outage, and callers must treat it as transient rather than as a verdict on
 * their data. {@link #errorCode()} is the registry's {@code error_code} (e.g. 40401), or
 * {@link #NO_ERROR_CODE} when the answer carried none (e.g. an HTML page from a proxy).
 */
public class RegistryException extends RuntimeException {

    /** {@link #httpStatus()} when no HTTP response was received. */
    public static final int NO_STATUS = -1;
    /** {@link #errorCode()} when the response had no registry error body. */
    public static final int NO_ERROR_CODE = -1;

    private final int httpStatus;
    private final int errorCode;

    public RegistryException(int httpStatus, int errorCode, String message) {
        this(httpStatus, errorCode, message, null);
    }

    public RegistryException(int httpStatus, int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int errorCode() {
        return errorCode;
    }

    /** Whether this is a 5xx answer or no answer at all, i.e. worth trying again later. */
    public boolean isTransient() {
        return httpStatus == NO_STATUS || httpStatus >= 500;
    }

    @Override
    public String toString() {
        return getClass().getName() + " [http " + httpStatus + ", error_code " + errorCode + "]: " + getMessage();
    }
}
