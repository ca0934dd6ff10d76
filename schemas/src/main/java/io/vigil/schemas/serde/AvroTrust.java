package io.vigil.schemas.serde;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Lets Avro 1.12.2 instantiate the generated classes Vigil decodes, without
 * {@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES}.
 *
 * <p>Avro refuses to load any class its global {@link ClassSecurityValidator} does not trust. Rather
 * than trusting everything, this adds exactly the packages of the named types (records, enums, fixed)
 * reachable from a record's schema, and only as an addition: whatever was trusted before (Avro's
 * defaults, the system properties, another library's predicate) stays trusted. If someone later replaces
 * the global predicate, the next call wraps the replacement again.
 */
public final class AvroTrust {

    private static final Set<String> PACKAGES = ConcurrentHashMap.newKeySet();
    private static final ClassSecurityPredicate TRUSTED_PACKAGES = c -> PACKAGES.contains(c.getPackageName());
    private static ClassSecurityPredicate installed; // guarded by AvroTrust.class

    private AvroTrust() {
    }

    /** Trusts the package of {@code type} and of every named type its {@code schema} refers to. */
    public static void trustPackagesOf(Class<?> type, Schema schema) {
        PACKAGES.add(type.getPackageName());
        collect(schema, new HashSet<>());
        install();
    }

    private static synchronized void install() {
        ClassSecurityPredicate current = ClassSecurityValidator.getGlobal();
        if (current != installed) {
            installed = ClassSecurityValidator.composite(current, TRUSTED_PACKAGES);
            ClassSecurityValidator.setGlobal(installed);
        }
    }

    private static void collect(Schema schema, Set<String> seen) {
        switch (schema.getType()) {
            case RECORD, ENUM, FIXED -> {
                if (!seen.add(schema.getFullName())) {
                    return;
                }
                String className = SpecificData.getClassName(schema);
                int dot = className.lastIndexOf('.');
                PACKAGES.add(dot < 0 ? "" : className.substring(0, dot));
                if (schema.getType() == Schema.Type.RECORD) {
                    schema.getFields().forEach(field -> collect(field.schema(), seen));
                }
            }
            case UNION -> schema.getTypes().forEach(branch -> collect(branch, seen));
            case ARRAY -> collect(schema.getElementType(), seen);
            case MAP -> collect(schema.getValueType(), seen);
            default -> {
                // primitives load no classes of their own
            }
        }
    }
}
