package io.vigil.topology.topics;

import io.vigil.config.ClientSettings;
import io.vigil.config.ConnectionCheck;
import io.vigil.config.Settings;
import io.vigil.schemas.TopicProvisioner;
import io.vigil.schemas.Topics;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.PolicyViolationException;

/**
 * {@code topics}: provisions Vigil's topics on a real cluster (the scorer image's {@code topics}
 * argument; the Kubernetes {@code vigil-topics} Job runs it). Idempotent: a second run changes nothing.
 * Missing topics are created with {@code topics.partitions} partitions (one count for every data topic, so
 * the channel-keyed ones share it), {@code replication.factor} replicas (the scorer's setting for its
 * changelogs, so both agree), {@code topics.min.insync.replicas} and the compaction and timestamp
 * allowance of {@link TopicProvisioner#configOf}; existing topics are left as they are unless they
 * break co-partitioning or compaction, which is refused before anything is created.
 *
 * <p>Exit statuses, as the other Vigil commands: 0 done; 2 bad settings or existing topics that do not
 * fit (a retry cannot help); {@value ConnectionCheck#EXIT_UNREACHABLE} Kafka did not answer (worth a
 * retry); {@value ConnectionCheck#EXIT_REFUSED} Kafka refused the credentials, certificate or access (the
 * principal needs Create, Describe and DescribeConfigs on the topics).
 */
public final class TopicsCommand {

    /** Done: every topic exists as required. */
    public static final int EXIT_OK = 0;
    /** Bad settings, or existing topics that break co-partitioning or compaction. */
    public static final int EXIT_INCOMPATIBLE = 2;

    /** How long created topics may take to get a leader for every partition. */
    static final Duration LEADER_TIMEOUT = Duration.ofSeconds(60);

    /**
     * The command's settings.
     *
     * @param clients how to reach Kafka ({@link ClientSettings}: {@code bootstrap.servers}, {@code kafka.*}, ...)
     * @param layout partitions, replication and {@code min.insync.replicas} of the topics it creates
     * @param includeSchemas whether to create the schema registry's {@code _schemas} topic too, for a
     *     registry that keeps its log on this cluster
     */
    public record Config(ClientSettings clients, TopicProvisioner.Layout layout, boolean includeSchemas) {

        /** The topics this command provisions, in {@link Topics#all()} order. */
        public List<Topics.Spec> topics() {
            List<Topics.Spec> topics = new ArrayList<>(Topics.all());
            if (!includeSchemas) {
                topics.remove(Topics.SCHEMAS);
            }
            return List.copyOf(topics);
        }
    }

    private TopicsCommand() {}

    /**
     * Reads the command's settings: {@link ClientSettings}, {@code topics.partitions} (12),
     * {@code replication.factor} (1), {@code topics.min.insync.replicas} (the smaller of 2 and the
     * replication factor) and {@code topics.schemas} (false).
     */
    public static Config settings(Settings s) {
        ClientSettings clients = ClientSettings.from(s);
        int partitions = s.getInt("topics.partitions", 12);
        int replication = s.getInt("replication.factor", 1);
        if (replication < 1 || replication > Short.MAX_VALUE) {
            throw new IllegalArgumentException("replication.factor must be between 1 and " + Short.MAX_VALUE
                    + ", not " + replication);
        }
        int minIsr = s.getInt("topics.min.insync.replicas", Math.min(2, replication));
        boolean schemas = s.getBoolean("topics.schemas", false);
        return new Config(clients, new TopicProvisioner.Layout(partitions, (short) replication, minIsr), schemas);
    }

    /**
     * Provisions the topics; prints one line per topic on {@code out} ({@code vigil.scores: created, 12
     * partitions, replication 3, delete}) and a one-line reason on {@code err} when it fails.
     *
     * @return the exit status (see the class comment)
     */
    public static int run(Settings settings, PrintStream out, PrintStream err) {
        Config config;
        try {
            config = settings(settings);
        } catch (IllegalArgumentException e) {
            err.println("topics: " + e.getMessage());
            return EXIT_INCOMPATIBLE;
        }
        settings.warnUnknownKeys();
        ClientSettings clients = config.clients();
        try {
            ConnectionCheck.kafka(clients, clients.checkTimeout());
        } catch (ConnectionCheck.Failed e) {
            err.println("topics: " + e.getMessage());
            return e.exitStatus();
        }
        try (Admin admin = Admin.create(clients.admin(Map.of(AdminClientConfig.CLIENT_ID_CONFIG, "vigil-topics")))) {
            List<TopicProvisioner.Provisioned> done = new TopicProvisioner(admin)
                    .provision(config.topics(), config.layout(), LEADER_TIMEOUT);
            done.forEach(p -> out.println(p.describe()));
            out.flush();
            return EXIT_OK;
        } catch (TopicProvisioner.IncompatibleTopicsException e) {
            err.println("topics: " + e.getMessage());
            return EXIT_INCOMPATIBLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("topics: interrupted");
            return ConnectionCheck.EXIT_UNREACHABLE;
        } catch (RuntimeException e) {
            int status = statusOf(e);
            err.println("topics: " + e.getMessage() + " at " + clients.bootstrapServers());
            return status;
        }
    }

    /** A failure after the connection check: refused access, settings the cluster rejects, or the cluster away. */
    static int statusOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AuthorizationException || t instanceof AuthenticationException) {
                return ConnectionCheck.EXIT_REFUSED;
            }
            if (t instanceof InvalidReplicationFactorException || t instanceof InvalidConfigurationException
                    || t instanceof InvalidPartitionsException || t instanceof PolicyViolationException) {
                // e.g. a replication factor above the number of brokers: the settings, not the cluster.
                return EXIT_INCOMPATIBLE;
            }
        }
        return ConnectionCheck.EXIT_UNREACHABLE;
    }
}
