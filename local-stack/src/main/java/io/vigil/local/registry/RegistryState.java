package io.vigil.local.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * The registry's contents in memory, rebuilt from the {@code _schemas} topic on start and updated after
 * each acknowledged write. Not thread-safe: {@link SchemaRegistry} serializes access.
 *
 * <p>Schemas are identified by their normalized text, {@code Schema.toString()} of the parsed schema:
 * whitespace and attribute order do not matter, but defaults, docs and logical types do (Avro's
 * "Parsing Canonical Form" drops those, and a field's default changes both compatibility and decoding).
 */
final class RegistryState {

    /** One version of a subject. */
    record Version(String subject, int version, int id) {}

    private final Map<String, NavigableMap<Integer, Version>> subjects = new TreeMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, Integer> idsByText = new HashMap<>();
    private final Map<String, Compatibility> subjectLevels = new HashMap<>();
    private Compatibility globalLevel = Compatibility.DEFAULT;

    void add(Version version, Schema schema) {
        subjects.computeIfAbsent(version.subject(), s -> new TreeMap<>()).put(version.version(), version);
        schemasById.put(version.id(), schema);
        idsByText.putIfAbsent(schema.toString(), version.id());
    }

    Optional<Schema> schema(int id) {
        return Optional.ofNullable(schemasById.get(id));
    }

    /** The global id already given to this schema under any subject. */
    Optional<Integer> idOf(Schema schema) {
        return Optional.ofNullable(idsByText.get(schema.toString()));
    }

    int nextId() {
        return schemasById.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
    }

    List<String> subjects() {
        return List.copyOf(subjects.keySet());
    }

    /** Versions of {@code subject}, oldest first; empty if the subject does not exist. */
    List<Version> versions(String subject) {
        NavigableMap<Integer, Version> versions = subjects.get(subject);
        return versions == null ? List.of() : new ArrayList<>(versions.values());
    }

    Optional<Version> version(String subject, int version) {
        NavigableMap<Integer, Version> versions = subjects.get(subject);
        return Optional.ofNullable(versions == null ? null : versions.get(version));
    }

    /** The version of {@code subject} that holds this schema, if any. */
    Optional<Version> find(String subject, Schema schema) {
        Integer id = idsByText.get(schema.toString());
        return id == null ? Optional.empty()
                : versions(subject).stream().filter(v -> v.id() == id).findFirst();
    }

    Compatibility globalLevel() {
        return globalLevel;
    }

    Optional<Compatibility> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    Compatibility effectiveLevel(String subject) {
        return subjectLevel(subject).orElse(globalLevel);
    }

    /** Sets the level of {@code subject}, or the global level when {@code subject} is null. */
    void setLevel(String subject, Compatibility level) {
        if (subject == null) {
            globalLevel = level;
        } else {
            subjectLevels.put(subject, level);
        }
    }
}
