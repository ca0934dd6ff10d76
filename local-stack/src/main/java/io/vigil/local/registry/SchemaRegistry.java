package io.vigil.local.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.local.registry.RegistryState.Version;
import java.util.List;
import java.util.Optional;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's operations and rules: ids are global and reused for the same schema under any
 * subject, versions count up per subject, and a new version must pass the subject's compatibility
 * level. Every change is written to the {@link SchemaLog} and acknowledged before it is applied in
 * memory, so what a client was told is what a restart reads back.
 *
 * <p>Single writer: ids and versions are assigned from this instance's memory, so exactly one
 * registry instance may write to a topic (the local stack runs one). All methods are synchronized;
 * the traffic is a handful of requests per producer start.
 *
 * <p>Records mirror Confluent's layout: key {@code {"keytype":"SCHEMA","subject":s,"version":v,"magic":1}},
 * value {@code {"subject":s,"version":v,"id":n,"schema":text,"deleted":false}}; config key
 * {@code {"keytype":"CONFIG","subject":s|null,"magic":0}}, value {@code {"compatibilityLevel":L}}.
 */
final class SchemaRegistry {

    /** What a subject version looks like to clients. */
    record Registered(String subject, int version, int id, String schema) {}

    private static final Logger log = LoggerFactory.getLogger(SchemaRegistry.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SchemaLog store;
    private final RegistryState state = new RegistryState();

    private SchemaRegistry(SchemaLog store) {
        this.store = store;
    }

    /** A registry whose state is rebuilt from everything already in {@code store}. */
    static SchemaRegistry load(SchemaLog store) {
        SchemaRegistry registry = new SchemaRegistry(store);
        store.replay(registry::replay);
        return registry;
    }

    synchronized int register(String subject, String schemaText) {
        Schema schema = parse(schemaText);
        Optional<Version> existing = state.find(subject, schema);
        if (existing.isPresent()) {
            return existing.get().id();
        }
        List<Version> versions = state.versions(subject);
        Compatibility level = state.effectiveLevel(subject);
        List<String> problems = level.problems(schema, schemas(versions));
        if (!problems.isEmpty()) {
            throw RegistryException.incompatible("Schema being registered is incompatible with an earlier schema for subject '"
                    + subject + "' under " + level + ": " + String.join("; ", problems));
        }
        int id = state.idOf(schema).orElseGet(state::nextId);
        int version = versions.isEmpty() ? 1 : versions.get(versions.size() - 1).version() + 1;
        Version added = new Version(subject, version, id);
        store.append(schemaKey(subject, version), schemaValue(added, schema));
        state.add(added, schema);
        return id;
    }

    synchronized Registered lookup(String subject, String schemaText) {
        Schema schema = parse(schemaText);
        if (state.versions(subject).isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        Version version = state.find(subject, schema)
                .orElseThrow(() -> RegistryException.schemaNotFound("not registered under subject '" + subject + "'"));
        return registered(version);
    }

    synchronized String schemaById(int id) {
        return state.schema(id).map(Schema::toString)
                .orElseThrow(() -> RegistryException.schemaNotFound("no schema with id " + id));
    }

    synchronized List<String> subjects() {
        return state.subjects();
    }

    synchronized List<Integer> versions(String subject) {
        List<Version> versions = existingVersions(subject);
        return versions.stream().map(Version::version).toList();
    }

    /** {@code version} is a number or "latest" (or -1, as Confluent's clients send). */
    synchronized Registered version(String subject, String version) {
        List<Version> versions = existingVersions(subject);
        if (isLatest(version)) {
            return registered(versions.get(versions.size() - 1));
        }
        int number = parseVersion(version);
        return registered(state.version(subject, number)
                .orElseThrow(() -> RegistryException.versionNotFound(subject, number)));
    }

    /**
     * Problems {@code schemaText} would have as the next version of {@code subject}, compared with
     * {@code version} ("latest" follows the subject's level, so a transitive level compares with all
     * versions). A subject with no versions accepts anything, as Confluent's does.
     */
    synchronized List<String> compatibilityProblems(String subject, String version, String schemaText) {
        Schema schema = parse(schemaText);
        List<Version> versions = state.versions(subject);
        Compatibility level = state.effectiveLevel(subject);
        if (isLatest(version)) {
            return level.problems(schema, schemas(versions));
        }
        if (versions.isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        int number = parseVersion(version);
        Version against = state.version(subject, number)
                .orElseThrow(() -> RegistryException.versionNotFound(subject, number));
        return level.problems(schema, schemas(List.of(against)));
    }

    synchronized Compatibility globalLevel() {
        return state.globalLevel();
    }

    synchronized Compatibility subjectLevel(String subject, boolean defaultToGlobal) {
        return state.subjectLevel(subject)
                .or(() -> defaultToGlobal ? Optional.of(state.globalLevel()) : Optional.empty())
                .orElseThrow(() -> RegistryException.subjectLevelConfigNotFound(subject));
    }

    /** Sets the level of {@code subject}, or the global one when {@code subject} is null. */
    synchronized void setLevel(String subject, Compatibility level) {
        ObjectNode key = JSON.createObjectNode().put("keytype", "CONFIG").put("subject", subject).put("magic", 0);
        ObjectNode value = JSON.createObjectNode().put("compatibilityLevel", level.name());
        store.append(key.toString(), value.toString());
        state.setLevel(subject, level);
    }

    static Schema parse(String text) {
        if (text == null || text.isBlank()) {
            throw RegistryException.invalidSchema("empty schema", null);
        }
        try {
            return new Schema.Parser().parse(text);
        } catch (AvroRuntimeException | IllegalArgumentException e) {
            throw RegistryException.invalidSchema(e.getMessage(), e);
        }
    }

    private void replay(String key, String value) {
        try {
            JsonNode k = JSON.readTree(key);
            JsonNode v = value == null ? null : JSON.readTree(value);
            String type = k.path("keytype").asText();
            if (v == null || v.isNull() || v.path("deleted").asBoolean(false)) {
                return; // this registry never deletes; records deleted elsewhere are simply not restored
            }
            if (type.equals("SCHEMA")) {
                state.add(new Version(v.get("subject").asText(), v.get("version").asInt(), v.get("id").asInt()),
                        parse(v.get("schema").asText()));
            } else if (type.equals("CONFIG")) {
                JsonNode subject = k.get("subject");
                state.setLevel(subject == null || subject.isNull() ? null : subject.asText(),
                        Compatibility.parse(v.get("compatibilityLevel").asText()));
            }
            // Other key types (Confluent's NOOP, modes, ...) carry nothing this registry uses.
        } catch (JsonProcessingException | RuntimeException e) {
            log.warn("skipping unreadable record in {}: key {}: {}", store.topic(), key, e.toString());
        }
    }

    private List<Version> existingVersions(String subject) {
        List<Version> versions = state.versions(subject);
        if (versions.isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        return versions;
    }

    private List<Schema> schemas(List<Version> versions) {
        return versions.stream().map(v -> state.schema(v.id()).orElseThrow()).toList();
    }

    private Registered registered(Version v) {
        return new Registered(v.subject(), v.version(), v.id(), state.schema(v.id()).orElseThrow().toString());
    }

    private static boolean isLatest(String version) {
        return "latest".equalsIgnoreCase(version) || "-1".equals(version);
    }

    private static int parseVersion(String version) {
        try {
            int number = Integer.parseInt(version);
            if (number >= 1) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw RegistryException.invalidVersion(version);
    }

    private static String schemaKey(String subject, int version) {
        return JSON.createObjectNode().put("keytype", "SCHEMA").put("subject", subject).put("version", version)
                .put("magic", 1).toString();
    }

    private static String schemaValue(Version v, Schema schema) {
        return JSON.createObjectNode().put("subject", v.subject()).put("version", v.version()).put("id", v.id())
                .put("schema", schema.toString()).put("deleted", false).toString();
    }
}
