package io.vigil.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS contexts from key and trust stores on disk (JKS or PKCS12), for the HTTP connections Vigil makes
 * and serves itself (Kafka's clients read their own {@code ssl.*} settings). A store that cannot be
 * read fails at start-up with the setting's name and never the password.
 */
public final class TlsContexts {

    /** A store on disk: where, its type (null for JKS, which also reads PKCS12) and its password. */
    public record Store(String setting, String location, String type, String password) {
        @Override
        public String toString() {
            return "Store[setting=" + setting + ", location=" + location + ", type=" + type + "]";
        }
    }

    private TlsContexts() {}

    /**
     * A context that presents {@code keys} (null: no certificate of its own) with {@code keyPassword}
     * (null: the store's password) and trusts {@code trust} (null: the JVM's default trust).
     */
    public static SSLContext of(Store keys, String keyPassword, Store trust) {
        try {
            TrustManagerFactory trustManagers = null;
            if (trust != null) {
                trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trustManagers.init(load(trust));
            }
            KeyManagerFactory keyManagers = null;
            if (keys != null) {
                String password = keyPassword != null ? keyPassword : keys.password();
                keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keyManagers.init(load(keys), password == null ? new char[0] : password.toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers == null ? null : keyManagers.getKeyManagers(),
                    trustManagers == null ? null : trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            String which = keys != null ? keys.setting() : trust.setting();
            throw new IllegalArgumentException(which + ": cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(Store store) {
        String type = store.type() == null || store.type().isBlank() ? "JKS" : store.type();
        try (InputStream in = Files.newInputStream(Path.of(store.location()))) {
            KeyStore keyStore = KeyStore.getInstance(type);
            keyStore.load(in, store.password() == null ? null : store.password().toCharArray());
            return keyStore;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(store.setting() + " " + store.location() + " cannot be read as a " + type
                    + " store (wrong path, type or password?): " + e.getMessage(), e);
        }
    }
}
