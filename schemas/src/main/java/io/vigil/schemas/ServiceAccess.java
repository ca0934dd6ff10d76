package io.vigil.schemas;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * What each Vigil service may do on a cluster that enforces ACLs, declared once beside the topics: the
 * secured-cluster tests grant exactly this, and the Kubernetes {@code KafkaUser} resources are checked
 * against it. Each service gets the least it needs: readers read, writers write, and only the scorer
 * owns topics (its changelogs and repartition topics, all prefixed by its application id).
 */
public final class ServiceAccess {

    /** A Vigil service that connects to Kafka, with the user name its deployment gives it by default. */
    public enum Service {
        SCORER("vigil-scorer"),
        BRIDGE("vigil-sse-bridge"),
        /** A bridge deployment with HTTP ingest on ({@code bridge.ingest.enabled}): a bridge's reads and the ingest's writes. */
        INGEST("vigil-ingest"),
        REPLAY("vigil-replay"),
        MODELS("vigil-models"),
        NOTIFIER("vigil-notifier"),
        REGISTRY("vigil-schema-registry");

        private final String user;

        Service(String user) {
            this.user = user;
        }

        public String user() {
            return user;
        }
    }

    /** Operations allowed on one resource (literal name, or every name with that prefix). */
    public record Grant(ResourceType type, String name, PatternType pattern, List<AclOperation> operations) {
        public Grant {
            operations = List.copyOf(operations);
        }
    }

    /** The prefix of the bridge ingest's transactional ids: {@code vigil-bridge-ingest-<host>-<slot>}. */
    public static final String INGEST_TRANSACTIONAL_PREFIX = "vigil-bridge-ingest";

    /** The prefix of the notifier's transactional ids: {@code vigil-notifier-<group>-<host>}. */
    public static final String NOTIFIER_TRANSACTIONAL_PREFIX = "vigil-notifier";
    /** The notifier's consumer group, unless configured otherwise. */
    public static final String NOTIFIER_GROUP = "vigil-notifier";

    /** The prefix of the models CLI's transactional ids: one per channel, {@code vigil-models-<channel>}. */
    public static final String MODELS_TRANSACTIONAL_PREFIX = "vigil-models-";

    private static final List<AclOperation> READ = List.of(AclOperation.READ, AclOperation.DESCRIBE);
    private static final List<AclOperation> WRITE = List.of(AclOperation.WRITE, AclOperation.DESCRIBE);
    private static final List<AclOperation> READ_WRITE = List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE);

    private ServiceAccess() {}

    /**
     * The grants of {@code service}; {@code applicationId} is the scorer's Streams application id (its
     * group, transactional ids and internal topics are named after it).
     */
    public static List<Grant> grants(Service service, String applicationId) {
        List<Grant> g = new ArrayList<>();
        switch (service) {
            case SCORER -> {
                for (Topics.Spec in : List.of(Topics.TELEMETRY, Topics.HEARTBEATS, Topics.MODELS)) {
                    g.add(topic(in, READ));
                }
                for (Topics.Spec out : List.of(Topics.SCORES, Topics.ANOMALIES, Topics.NODE_STATUS, Topics.DEAD_LETTERS)) {
                    g.add(topic(out, WRITE));
                }
                // Changelogs and repartition topics: Streams creates, reads, writes and configures them.
                g.add(new Grant(ResourceType.TOPIC, applicationId + "-", PatternType.PREFIXED, List.of(AclOperation.ALL)));
                g.add(new Grant(ResourceType.GROUP, applicationId, PatternType.LITERAL, List.of(AclOperation.READ,
                        AclOperation.DESCRIBE)));
                // Exactly-once v2: one transactional id per stream thread, prefixed by the application id.
                g.add(new Grant(ResourceType.TRANSACTIONAL_ID, applicationId, PatternType.PREFIXED, WRITE));
            }
            case BRIDGE, INGEST -> {
                // No group: the bridge assigns partitions itself and keeps positions in event ids.
                // Heartbeats: the node view's latest heartbeat of each node.
                for (Topics.Spec in : List.of(Topics.SCORES, Topics.ANOMALIES, Topics.NODE_STATUS, Topics.LABELS,
                        Topics.HEARTBEATS)) {
                    g.add(topic(in, READ));
                }
                if (service == Service.INGEST) {
                    g.add(topic(Topics.TELEMETRY, WRITE));
                    g.add(new Grant(ResourceType.TRANSACTIONAL_ID, INGEST_TRANSACTIONAL_PREFIX, PatternType.PREFIXED, WRITE));
                }
            }
            case REPLAY -> {
                for (Topics.Spec out : List.of(Topics.TELEMETRY, Topics.HEARTBEATS, Topics.LABELS)) {
                    g.add(topic(out, WRITE));
                }
            }
            case MODELS -> {
                g.add(topic(Topics.MODELS, READ_WRITE));
                // The registry creates the versions topic when it is missing, with the models topic's partitions.
                g.add(topic(Topics.MODEL_VERSIONS, List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE,
                        AclOperation.CREATE, AclOperation.DESCRIBE_CONFIGS)));
                g.add(new Grant(ResourceType.TRANSACTIONAL_ID, MODELS_TRANSACTIONAL_PREFIX, PatternType.PREFIXED, WRITE));
            }
            case NOTIFIER -> {
                for (Topics.Spec in : List.of(Topics.ANOMALIES, Topics.NODE_STATUS)) {
                    g.add(topic(in, READ));
                }
                g.add(topic(Topics.DEAD_LETTERS, WRITE));
                g.add(new Grant(ResourceType.GROUP, NOTIFIER_GROUP, PatternType.LITERAL, READ));
                // Its position is committed in its transactions, with the dead letters.
                g.add(new Grant(ResourceType.TRANSACTIONAL_ID, NOTIFIER_TRANSACTIONAL_PREFIX, PatternType.PREFIXED, WRITE));
            }
            case REGISTRY -> g.add(topic(Topics.SCHEMAS, List.of(AclOperation.READ, AclOperation.WRITE,
                    AclOperation.DESCRIBE, AclOperation.CREATE, AclOperation.DESCRIBE_CONFIGS)));
        }
        return List.copyOf(g);
    }

    /** The grants as Kafka ACL bindings for {@code principal} (e.g. {@code User:vigil-scorer}), from any host. */
    public static List<AclBinding> aclBindings(Service service, String applicationId, String principal) {
        List<AclBinding> bindings = new ArrayList<>();
        for (Grant grant : grants(service, applicationId)) {
            for (AclOperation op : grant.operations()) {
                bindings.add(new AclBinding(new ResourcePattern(grant.type(), grant.name(), grant.pattern()),
                        new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW)));
            }
        }
        return bindings;
    }

    private static Grant topic(Topics.Spec spec, List<AclOperation> operations) {
        return new Grant(ResourceType.TOPIC, spec.name(), PatternType.LITERAL, operations);
    }
}
