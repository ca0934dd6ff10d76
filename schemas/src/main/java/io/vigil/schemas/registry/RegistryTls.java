package io.vigil.schemas.registry;

import io.vigil.tls.TlsContexts;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.apache.kafka.common.config.ConfigException;

/**
 * The TLS context of the registry connection from Confluent's {@code schema.registry.ssl.*} keys: a
 * trust store for a registry whose certificate the JVM does not trust, a key store for a registry
 * that asks for client certificates.
 */
final class RegistryTls {

    private static final String P = RegistryConfig.SSL_PREFIX;

    private RegistryTls() {}

    /** The context, or null when no store is configured (the JVM's defaults). */
    static SSLContext context(Map<String, String> ssl) {
        TlsContexts.Store trust = store(ssl, "truststore");
        TlsContexts.Store keys = store(ssl, "keystore");
        if (trust == null && keys == null) {
            return null;
        }
        try {
            return TlsContexts.of(keys, ssl.get(P + "key.password"), trust);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static TlsContexts.Store store(Map<String, String> ssl, String kind) {
        String location = ssl.get(P + kind + ".location");
        return location == null ? null
                : new TlsContexts.Store(P + kind + ".location", location, ssl.get(P + kind + ".type"),
                        ssl.get(P + kind + ".password"));
    }
}
