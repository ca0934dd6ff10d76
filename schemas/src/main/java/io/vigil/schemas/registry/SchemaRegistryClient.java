package io.vigil.schemas.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * The part of a Confluent-compatible schema registry that Avro serdes and build tools need.
 *
 * <p>Ids are global and immutable: one id always names the same schema, and registering an identical
 * schema again under a subject returns the id it already has. Implementations must be thread-safe.
 *
 * <p>Errors: {@link SchemaNotFoundException} when the registry says something does not exist,
 * {@link RegistryException} for any other refusal or when the registry cannot be reached.
 */
public interface SchemaRegistryClient {

    /**
     * Registers {@code schema} under {@code subject} (a new version unless already there) and returns
     * its global id. Idempotent.
     */
    int register(String subject, Schema schema);

    /**
     * The id of {@code schema} if it is registered under {@code subject}.
     *
     * @throws SchemaNotFoundException if the subject is unknown or the schema is not one of its versions
     */
    int getId(String subject, Schema schema);

    /**
     * The schema with this global id.
     *
     * @throws SchemaNotFoundException if no schema has this id
     * @throws org.apache.avro.SchemaParseException if the id names a schema that is not Avro
     */
    Schema getById(int id);

    /**
     * The newest version of {@code subject}.
     *
     * @throws SchemaNotFoundException if the subject has no versions
     */
    RegisteredSchema getLatest(String subject);

    /** All subjects with at least one version. */
    List<String> subjects();

    /**
     * Whether {@code schema} may be registered as the next version of {@code subject} under the
     * registry's compatibility rules. A subject without versions accepts anything.
     */
    boolean isCompatible(String subject, Schema schema);
}
