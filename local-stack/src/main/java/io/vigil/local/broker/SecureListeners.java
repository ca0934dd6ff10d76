package io.vigil.local.broker;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The secured listeners a local broker can add beside its PLAINTEXT one, for tests against TLS and
 * SASL: {@code SSL} on {@code sslPort} requiring a client certificate (the principal is its CN), and
 * {@code SASL_SSL} on {@code saslSslPort} with SCRAM-SHA-512 users. ACLs are enforced
 * ({@code StandardAuthorizer}, nothing allowed without an ACL) on both.
 *
 * <p>The PLAINTEXT listener stays on loopback for the brokers' own traffic and the test's set-up
 * (creating users, ACLs and topics), as a super user: that is a test harness's shortcut, not a
 * deployment; a real cluster runs inter-broker traffic over TLS.
 *
 * @param keyStore PKCS12 store with the broker's key and certificate (valid for 127.0.0.1)
 * @param trustStore PKCS12 store with the CA that signs client certificates
 * @param password of both stores and of the key
 */
public record SecureListeners(int sslPort, int saslSslPort, Path keyStore, Path trustStore, String password) {

    public static final String SCRAM = "SCRAM-SHA-512";

    public SecureListeners {
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(trustStore, "trustStore");
        Objects.requireNonNull(password, "password");
    }

    public String sslBootstrap() {
        return "127.0.0.1:" + sslPort;
    }

    public String saslSslBootstrap() {
        return "127.0.0.1:" + saslSslPort;
    }

    /** Adds the listeners, their TLS and SASL settings and the authorizer to a node's properties. */
    void applyTo(Map<String, String> p) {
        String ssl = "SSL://127.0.0.1:" + sslPort;
        String sasl = "SASL_SSL://127.0.0.1:" + saslSslPort;
        p.put("listeners", p.get("listeners") + "," + ssl + "," + sasl);
        p.put("advertised.listeners", p.get("advertised.listeners") + "," + ssl + "," + sasl);
        p.put("listener.security.protocol.map", p.get("listener.security.protocol.map") + ",SSL:SSL,SASL_SSL:SASL_SSL");
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", keyStore.toAbsolutePath().toString());
        p.put("ssl.keystore.password", password);
        p.put("ssl.key.password", password);
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", trustStore.toAbsolutePath().toString());
        p.put("ssl.truststore.password", password);
        p.put("listener.name.ssl.ssl.client.auth", "required");
        // User:<CN> rather than the whole distinguished name, as deployments usually map it.
        p.put("ssl.principal.mapping.rules", "RULE:^CN=([^,]+).*$/$1/,DEFAULT");
        p.put("sasl.enabled.mechanisms", SCRAM);
        p.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("allow.everyone.if.no.acl.found", "false");
        // PLAINTEXT (brokers, controller, the harness) authenticates nobody: its principal is ANONYMOUS.
        p.put("super.users", "User:ANONYMOUS");
    }
}
