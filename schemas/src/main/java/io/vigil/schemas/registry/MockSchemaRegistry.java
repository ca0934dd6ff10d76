package io.vigil.schemas.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * An in-memory registry for tests and local runs, reached through {@code mock://<scope>} URLs.
 *
 * <p>It decides like Confluent's registry with its default settings: ids are global and start at 1,
 * versions start at 1 per subject, a schema identical to one already registered (same JSON, docs and
 * defaults included) gets the existing id, and registering a new version is refused with HTTP 409 unless
 * it can read data written with the subject's latest version (BACKWARD compatibility).
 *
 * <p>All serdes configured with the same {@code mock://<scope>} share one instance, so a test can
 * serialize in one serde and deserialize in another; {@link #dropScope(String)} forgets a scope so the
 * next test starts empty. Thread-safe: every method is synchronized (it is a test double, not a hot
 * path).
 */
public final class MockSchemaRegistry implements SchemaRegistryClient {

    private static final Map<String, MockSchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private final Map<String, Integer> idsBySchemaText = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    /** Ids of each subject's versions; version n is element n - 1. */
    private final Map<String, List<Integer>> versionsBySubject = new HashMap<>();

    /** A private registry not reachable through any scope. */
    public MockSchemaRegistry() {
    }

    /** The registry shared by everything configured with {@code mock://<name>}; created on first use. */
    public static MockSchemaRegistry scope(String name) {
        return SCOPES.computeIfAbsent(Objects.requireNonNull(name, "name"), n -> new MockSchemaRegistry());
    }

    /** Forgets a scope: the next {@link #scope(String)} with this name returns an empty registry. */
    public static void dropScope(String name) {
        SCOPES.remove(name);
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        List<Integer> versions = versionsBySubject.get(subject);
        Integer existing = idsBySchemaText.get(schema.toString());
        if (versions != null && existing != null && versions.contains(existing)) {
            return existing;
        }
        if (versions != null && !isBackwardCompatible(schema, schemasById.get(versions.get(versions.size() - 1)))) {
            throw new RegistryException(409, 409, "Schema being registered is incompatible with the latest"
                    + " version of subject '" + subject + "' (BACKWARD)");
        }
        int id = existing != null ? existing : newId(schema);
        versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
        return id;
    }

    @Override
    public synchronized int getId(String subject, Schema schema) {
        List<Integer> versions = versionsOf(subject);
        Integer id = idsBySchemaText.get(schema.toString());
        if (id == null || !versions.contains(id)) {
            throw new SchemaNotFoundException(SchemaNotFoundException.SCHEMA_NOT_FOUND,
                    "Schema not found under subject '" + subject + "'");
        }
        return id;
    }

    @Override
    public synchronized Schema getById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaNotFoundException(SchemaNotFoundException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
        }
        return schema;
    }

    @Override
    public synchronized RegisteredSchema getLatest(String subject) {
        List<Integer> versions = versionsOf(subject);
        int id = versions.get(versions.size() - 1);
        return new RegisteredSchema(subject, versions.size(), id, schemasById.get(id));
    }

    @Override
    public synchronized List<String> subjects() {
        return versionsBySubject.keySet().stream().sorted().toList();
    }

    @Override
    public synchronized boolean isCompatible(String subject, Schema schema) {
        List<Integer> versions = versionsBySubject.get(subject);
        return versions == null || isBackwardCompatible(schema, schemasById.get(versions.get(versions.size() - 1)));
    }

    private int newId(Schema schema) {
        int id = schemasById.size() + 1;
        schemasById.put(id, schema);
        idsBySchemaText.put(schema.toString(), id);
        return id;
    }

    private List<Integer> versionsOf(String subject) {
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null) {
            throw new SchemaNotFoundException(SchemaNotFoundException.SUBJECT_NOT_FOUND,
                    "Subject '" + subject + "' not found");
        }
        return versions;
    }

    /** BACKWARD: the new schema, as reader, can decode everything the latest one wrote. */
    private static boolean isBackwardCompatible(Schema candidate, Schema latest) {
        return SchemaCompatibility.checkReaderWriterCompatibility(candidate, latest).getType()
                == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
    }
}
