package io.vigil.config;

import io.vigil.schemas.registry.RegistryException;
import io.vigil.schemas.registry.SchemaRegistryClient;
import io.vigil.schemas.registry.SchemaRegistryClients;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.slf4j.Logger;

/**
 * A start-up check that each service runs before it builds its clients, so that a wrong password or
 * an untrusted certificate is one clear line and an exit status, not a client that retries for ever
 * (Kafka's clients retry a refused handshake under their reconnect backoff; Streams would replace
 * its threads). Messages never carry a secret: URLs are masked and only the server's words are quoted.
 */
public final class ConnectionCheck {

    /** Exit status when Kafka or the registry did not answer in time: infrastructure, worth a retry later. */
    public static final int EXIT_UNREACHABLE = 3;
    /**
     * Exit status when Kafka or the registry refused this process's credentials, certificate or access:
     * configuration, which no retry changes.
     */
    public static final int EXIT_REFUSED = 4;

    /** Why a check failed, in one line, and the exit status that says which kind of failure it was. */
    public static final class Failed extends RuntimeException {
        private final int exitStatus;

        Failed(String message, int exitStatus, Throwable cause) {
            super(Secrets.maskUrls(message), cause);
            this.exitStatus = exitStatus;
        }

        public int exitStatus() {
            return exitStatus;
        }
    }

    private ConnectionCheck() {}

    /**
     * Checks the registry (within its client's bounded retries), then Kafka (within
     * {@link ClientSettings#checkTimeout()}).
     */
    public static void run(ClientSettings clients) {
        String url = clients.registry().url();
        SchemaRegistryClient registry;
        try {
            registry = SchemaRegistryClients.create(clients.registry().serdeConfig());
        } catch (org.apache.kafka.common.KafkaException | IllegalArgumentException e) {
            // An unreadable trust store, a malformed URL, incomplete basic-auth settings.
            throw new Failed("schema registry " + url + ": the registry settings cannot be used: " + e.getMessage(),
                    EXIT_REFUSED, e);
        }
        registry(registry, url);
        kafka(clients, clients.checkTimeout());
    }

    /**
     * For a service's {@code main}: {@link #run}, or its failure logged as one line with the exit status
     * and the process ended with that status, so a supervisor can tell a refusal from an outage.
     */
    public static void runOrExit(ClientSettings clients, Logger log) {
        try {
            run(clients);
        } catch (Failed e) {
            log.atError().setMessage(e.getMessage()).addKeyValue("exitStatus", e.exitStatus()).log();
            System.exit(e.exitStatus());
        }
    }

    /** Asks the cluster for its id through an admin client built like every other client of the process. */
    public static void kafka(ClientSettings clients, Duration timeout) {
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        Map<String, Object> config = clients.admin(Map.of(AdminClientConfig.CLIENT_ID_CONFIG, "vigil-connection-check"));
        // After the pass-through: a request.timeout.ms given for every client must not outgrow the check's
        // default.api.timeout.ms, which the admin client would refuse.
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        String where = "Kafka at " + clients.bootstrapServers();
        try (Admin admin = Admin.create(config)) {
            admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw silent(where, timeout, e.getCause());
            }
            throw kafkaFailure(where, e.getCause());
        } catch (TimeoutException e) {
            throw silent(where, timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed("interrupted while connecting to " + where, EXIT_UNREACHABLE, e);
        } catch (org.apache.kafka.common.KafkaException e) {
            // Raised while the client is built: an unreadable key store, a bad JAAS line.
            throw new Failed(where + ": the client settings cannot be used: " + rootMessage(e), EXIT_REFUSED, e);
        }
    }

    /** Lists the registry's subjects, which needs the same credentials as everything else it serves. */
    public static void registry(SchemaRegistryClient registry, String url) {
        String where = "schema registry " + url;
        try {
            registry.subjects();
        } catch (RegistryException e) {
            if (e.httpStatus() == 401 || e.httpStatus() == 403) {
                throw new Failed(where + " refused the credentials (HTTP " + e.httpStatus()
                        + "; check schema.registry.basic.auth.user.info)", EXIT_REFUSED, e);
            }
            if (hasCause(e, SSLException.class)) {
                throw new Failed(where + ": TLS failed: " + rootMessage(e)
                        + " (is its certificate in schema.registry.ssl.truststore.location?)", EXIT_REFUSED, e);
            }
            throw new Failed(where + " failed: " + e.getMessage(), EXIT_UNREACHABLE, e);
        }
    }

    private static Failed silent(String where, Duration timeout, Throwable cause) {
        return new Failed(where + " did not answer within " + timeout.toMillis() + " ms (is the address right, "
                + "and does vigil.kafka.security.protocol match the listener?)", EXIT_UNREACHABLE, cause);
    }

    private static Failed kafkaFailure(String where, Throwable cause) {
        if (cause instanceof SslAuthenticationException) {
            return new Failed(where + ": TLS handshake failed: " + rootMessage(cause)
                    + " (is the broker's CA in vigil.kafka.ssl.truststore.location, and does the broker trust this "
                    + "client's certificate?)", EXIT_REFUSED, cause);
        }
        if (cause instanceof AuthenticationException) {
            return new Failed(where + " refused the credentials: " + cause.getMessage()
                    + " (check vigil.kafka.sasl.jaas.config and vigil.kafka.sasl.mechanism)", EXIT_REFUSED, cause);
        }
        if (cause instanceof AuthorizationException) {
            return new Failed(where + " denied access: " + cause.getMessage(), EXIT_REFUSED, cause);
        }
        return new Failed(where + " failed: " + rootMessage(cause), EXIT_UNREACHABLE, cause);
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root == t ? message : t.getMessage() + ": " + message;
    }
}
