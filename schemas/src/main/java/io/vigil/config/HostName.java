package io.vigil.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * This process's host name, for ids that must differ between instances and should stay the same
 * across one instance's restarts (transactional ids): {@code HOSTNAME} when set (a pod's name in
 * Kubernetes, stable under a StatefulSet, new with every pod of a Deployment), else what the system
 * resolves, else {@code localhost}.
 */
public final class HostName {

    private HostName() {}

    public static String get() {
        String pod = System.getenv("HOSTNAME");
        if (pod != null && !pod.isBlank()) {
            return pod;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
